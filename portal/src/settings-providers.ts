// The console's Settings — providers section (F8 §6): its page body. The route wraps it in `consolePage`.
export {};
