export { createLogger, personalDataPaths, type Logger } from './logger';
export { LOG_LEVELS, readLogLevel, type LogLevel } from './logLevel';
export { createMetricsRegistry } from './metrics';
export { randomHex } from './randomHex';
export { traceparentFrom } from './traceContext';
export { Counter, Gauge, Histogram, Registry } from 'prom-client';
