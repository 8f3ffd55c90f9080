// What the agent reads on the ticket for each risk level. The seed's two texts ("User verified successfully -
// Proceed with action", "High risk detected - Reject this request") are kept word for word (CONTRACTS.md); only
// Passed at Verified shows the first. The decision itself is the risk engine's (`domain/risk`).
export const RECOMMENDATIONS = {
  verified: 'User verified successfully - Proceed with action',
  medium: 'Medium risk - Confirm the request through another channel before proceeding',
  high: 'High risk detected - Reject this request',
} as const;
