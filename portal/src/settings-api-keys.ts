// The console's Settings — api-keys section (F8 §6): its page body. The route wraps it in `consolePage`.
export {};
