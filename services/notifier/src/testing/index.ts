// Test helpers of the notifier for other packages' tests: `@eventfold/notifier-service/testing`.
export { spawnNotifierProcess, type NotifierProcess } from './notifierProcess';
export { startTestNotifier, testNotifierEnv } from './testNotifier';
