export * from './commands';
export { decide } from './decide';
export { userDecider } from './decider';
export { UserErrorCode } from './errorCodes';
export * from './events';
export { evolve } from './evolve';
export { erasePersonalData } from './personalData/erasePersonalData';
export { eraseBeforeForgets, forgetVersions } from './personalData/eraseBeforeForgets';
export { normaliseEmail } from './rules/email';
export { normaliseLocale } from './rules/locale';
export { MAX_NAME_LENGTH, normaliseName } from './rules/name';
export { normaliseReason, requireReason } from './rules/reason';
export { assertUserId, userIdOfStream, userStreamId } from './rules/userId';
export { initialUserState, type UserState } from './state';
export { userViewProjection, type UserView } from './projections/userView';
export { planProjection, StreamGapError, type ProjectionPlan } from './readModel/planProjection';
export type { UserDocument, UserEventDocument } from './readModel/userDocuments';
export type { UserReadStore } from './readModel/userReadStore';
export { documentOfView, eventOfHistory, historyDocument, viewOfDocument } from './readModel/viewDocuments';
export * from './emailReservation/commands';
export * from './emailReservation/events';
export { decideEmailReservation } from './emailReservation/decide';
export { evolveEmailReservation } from './emailReservation/evolve';
export { emailReservationDecider } from './emailReservation/decider';
export { EmailReservationErrorCode } from './emailReservation/errorCodes';
export { expiredClaims } from './emailReservation/expiredClaim';
export {
  initialEmailReservationState,
  type EmailReservationState,
  type PendingClaim,
} from './emailReservation/state';
export { EMAIL_STREAM_PREFIX, isEmailStreamId } from './emailReservation/streamId';
export {
  integrationEventTypes,
  type IntegrationEvent,
  type IntegrationEventData,
  type IntegrationEventType,
  type ProfileField,
  type PublicProfile,
} from './integration/integrationEvents';
export { publicUserAfter, publishedVersion, unknownUser, type PublicUser } from './integration/publicUser';
export { translateEvent, type Translation } from './integration/translateEvent';
