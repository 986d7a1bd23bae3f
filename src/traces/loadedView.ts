import type { WireView } from '../core/traces/workerProtocol';
import type { SpanDetails, WaterfallModel } from '../shared/protocol/waterfall';
import { decodeModel } from '../shared/protocol/waterfallWire';

/**
 * A trace view on the host. The model's JSON is forwarded to the webview as the worker made it and parsed here only
 * when the host needs rows itself; the rows' details come from the worker after the waterfall is on screen (fetched
 * once, in the background, so the first click on a span finds them).
 */
export class LoadedView {
  private parsedModel: WaterfallModel | undefined;
  private pendingDetails: Promise<readonly SpanDetails[]> | undefined;

  constructor(
    readonly wire: WireView,
    private readonly fetchDetails: () => Promise<string | undefined>,
  ) {}

  get traceId(): string {
    return this.wire.traceId;
  }

  get model(): WaterfallModel {
    if (!this.parsedModel) {
      const model = decodeModel(JSON.parse(this.wire.modelJson));
      if (!model) throw new Error(`The model of trace ${this.traceId} is malformed.`);
      this.parsedModel = model;
    }
    return this.parsedModel;
  }

  /** `details()[i]` belongs to `model.rows[i]`. A failed fetch is not remembered: the next call tries again. */
  details(): Promise<readonly SpanDetails[]> {
    this.pendingDetails ??= this.fetchDetails().then(
      (json) => {
        const details = json === undefined ? undefined : (JSON.parse(json) as SpanDetails[]);
        if (!details || details.length !== this.wire.rowCount) {
          throw new Error(`The trace files changed since trace ${this.traceId} was opened: open it again to see its details.`);
        }
        return details;
      },
      (e: unknown) => {
        this.pendingDetails = undefined;
        throw e;
      },
    );
    return this.pendingDetails;
  }
}
