// The instance's error envelope: `{"error":{"message","detail"},"status":"failure"}` (SERVICENOW.md "Errors").

export interface SnErrorBody {
  error: { message: string; detail: string | null };
  status: 'failure';
}

export class SnError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SnError';
  }

  body(): SnErrorBody {
    return envelope(this.message, this.detail);
  }
}

export function envelope(message: string, detail: string | null): SnErrorBody {
  return { error: { message, detail }, status: 'failure' };
}

export const notAuthenticated = (): SnError =>
  new SnError(401, 'User Not Authenticated', 'Required to provide Auth information');
export const invalidTable = (table: string): SnError => new SnError(400, `Invalid table ${table}`, null);
export const noRecord = (): SnError =>
  new SnError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
export const operationFailed = (detail: string): SnError => new SnError(403, 'Operation Failed', detail);
