// The ServiceNow client: Table API access with retries and auth, plus the two uses the service has for it.
export * from './client';
export * from './ticket-context';
export * from './ticket-writer';
