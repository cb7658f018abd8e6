// The gateway's public surface: what the embedded mode and the deploy checks compose it from.
export { readGatewayConfig, type GatewayConfig } from './config';
export { startGatewayService, type GatewayDeps, type RunningGatewayService } from './gatewayService';
