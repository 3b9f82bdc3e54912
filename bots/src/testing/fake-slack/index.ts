export { ADA_SLACK, actionIds, findButton, type SendOptions, slackSignature, slackText } from './requests.js';
export { type FakeSlack, startFakeSlack } from './server.js';
export type * from './types.js';
export { messageProblems, viewProblems } from './validate.js';
