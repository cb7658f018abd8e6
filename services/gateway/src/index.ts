// The gateway's public surface: what the embedded mode and the deploy checks compose it from.
export { readGatewayConfig, type GatewayConfig } from './config';
export { startGateway, type GatewayDeps, type RunningGateway } from './gatewayService';
