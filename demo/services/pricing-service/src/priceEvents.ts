import { SpanKind } from '@opentelemetry/api';
import { Kafka } from 'kafkajs';
import { failSpan, startSpan } from './telemetry';

const producer = new Kafka({ clientId: 'pricing-service', brokers: ['kafka-0.internal:9092'] }).producer();
const TOPIC = 'price-changes';

export async function publishPriceChanges(prices: Map<string, number>): Promise<void> {
  const span = startSpan(`send ${TOPIC}`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.destination.name': TOPIC,
      'messaging.batch.message_count': prices.size,
      'server.address': 'kafka-0.internal',
    },
  });
  try {
    await producer.send({
      topic: TOPIC,
      messages: [...prices].map(([sku, cents]) => ({ key: sku, value: JSON.stringify({ sku, cents }) })),
    });
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}
