import type { WireView } from '../core/traces/workerProtocol';
import type { SpanDetails, WaterfallModel } from '../shared/protocol/waterfall';

/**
 * A trace view on the host: the JSON the worker made, forwarded to the webview as is, and parsed here only when
 * the host itself needs rows or details (a `span/details` or `filter` request, opening code, tests).
 */
export class LoadedView {
  private parsedModel: WaterfallModel | undefined;
  private parsedDetails: readonly SpanDetails[] | undefined;

  constructor(readonly wire: WireView) {}

  get traceId(): string {
    return this.wire.traceId;
  }

  get model(): WaterfallModel {
    this.parsedModel ??= JSON.parse(this.wire.modelJson) as WaterfallModel;
    return this.parsedModel;
  }

  get details(): readonly SpanDetails[] {
    this.parsedDetails ??= JSON.parse(this.wire.detailsJson) as SpanDetails[];
    return this.parsedDetails;
  }
}
