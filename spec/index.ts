/** The public surface of the spec: everything in spec/, re-exported. Other layers import only this file. */
export * from './types.js';
export * from './message.js';
export * from './configuration.js';
export * from './broadcast.js';
export * from './collections.js';
export * from './app.js';
export * from './acceptor.js';
export * from './election.js';
export * from './proposer.js';
export * from './learner.js';
export * from './executor.js';
export * from './replica.js';
export * from './electionOracle.js';
export * from './system.js';
export * from './format.js';
export * from './obligations/index.js';
export * from './scenarios.js';
