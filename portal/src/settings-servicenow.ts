// The console's Settings — servicenow section (F8 §6): its page body. The route wraps it in `consolePage`.
export {};
