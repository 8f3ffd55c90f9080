export * from './context';
export * from './policy';
export * from './engine';
export * from './report';
export { RULES } from './rules';
