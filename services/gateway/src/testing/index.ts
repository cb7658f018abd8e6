// Test helpers of the gateway for other packages' tests: `@eventfold/gateway-service/testing`.
export { checkAgainstDocument, operationFor, type DocumentCheck, type Exchange } from './contract';
export { GatewayClient, type Answer, type CallOptions } from './gatewayClient';
export {
  actorOf,
  apiKeysSetting,
  startTestGateway,
  testKeys,
  TEST_KEY_ID_SECRET,
  type TestKeys,
} from './testGateway';
export { followEvents, type FollowOptions, type ReceivedEvent } from './followStream';
