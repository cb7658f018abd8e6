export { cachedReadiness } from './health/cachedReadiness';
export { healthRoutes, type ReadinessCheck } from './health/healthRoutes';
export { problem, problemOf, PROBLEM_TYPE_BASE, statusOfKind, type Problem } from './problem/problem';
export { notFoundRoute, problemMiddleware, sendProblem } from './problem/problemMiddleware';
export { requestContext } from './requestContext/requestContext';
export { listen, type Listening } from './lifecycle/listen';
export { runMain, type RunningService, type ServiceMain } from './lifecycle/runMain';
export {
  startService,
  type Own,
  type ServiceDefinition,
  type StartedService,
} from './lifecycle/startService';
export { INTERNAL_TOKEN_HEADER, internalOnly, probesApp, serviceApp } from './server/serviceApp';
