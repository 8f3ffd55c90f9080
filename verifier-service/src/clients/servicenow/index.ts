// The ServiceNow client: Table API (and the app's scripted REST) access with retries and auth, and its uses.
export * from './client';
export * from './ticket-context';
export * from './ticket-writer';
export * from './close-ticket';
