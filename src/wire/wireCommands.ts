/** Command ids of the wire capability (also listed in package.json; the internal ones are hidden from the palette). */
export const WireCommands = {
  /** Quick pick of every route; a pasted URL path or gRPC method goes to its handler. */
  goToHandler: 'oncall.goToHandler',
  /** The outgoing calls of a handler, as a tree in the Follow the Wire view. */
  followWire: 'oncall.followWire',
  rebuildWireIndex: 'oncall.rebuildWireIndex',
  filterWireMap: 'oncall.filterWireMap',
  clearWireMapFilter: 'oncall.clearWireMapFilter',
  /** Internal: open a folder-relative file at a line (args: file, line, a URI in the same folder). */
  openLocation: 'oncall.wire.openLocation',
  /** Internal: show a record in the Wire Map. */
  revealInWireMap: 'oncall.wire.reveal',
  /** Internal: Find Traces with the route as the operation. */
  findTracesForRoute: 'oncall.wire.findTraces',
} as const;

export const WireViews = {
  map: 'oncall.wireMap',
  calls: 'oncall.wireCalls',
} as const;
