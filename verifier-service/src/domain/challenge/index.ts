// The knowledge challenge and call binding (issue 9): pure functions, no I/O.
export * from './facts';
export * from './messages';
export * from './generate';
export * from './score';
export * from './call-code';
