// The ticket columns (CONTRACTS.md "Ticket columns"), added to `task` so incident and every other task table
// has them. Column names carry the scope prefix: the build refuses columns on a table the scope does not own
// without it.
import { ChoiceColumn, StringColumn, Table, UrlColumn } from '@servicenow/sdk/core';

export const task = Table({
  augments: 'task',
  schema: {
    x_imper_verify_verification: UrlColumn({
      label: 'imper.ai Verification',
      maxLength: 1024,
      readOnly: true,
    }),
    x_imper_verify_status: ChoiceColumn({
      label: 'imper.ai Verification status',
      readOnly: true,
      dropdown: 'dropdown_with_none',
      choices: {
        required: { label: 'Required', sequence: 10 },
        sent: { label: 'Sent', sequence: 20 },
        in_progress: { label: 'In progress', sequence: 30 },
        passed: { label: 'Passed', sequence: 40 },
        failed: { label: 'Failed', sequence: 50 },
        incomplete: { label: 'Incomplete', sequence: 60 },
        timed_out: { label: 'Timed out', sequence: 70 },
        canceled: { label: 'Canceled', sequence: 80 },
      },
    }),
    x_imper_verify_risk_level: ChoiceColumn({
      label: 'imper.ai Risk level',
      readOnly: true,
      dropdown: 'dropdown_with_none',
      choices: {
        verified: { label: 'Verified', sequence: 10 },
        medium: { label: 'Medium', sequence: 20 },
        high: { label: 'High', sequence: 30 },
      },
    }),
    x_imper_verify_id: StringColumn({ label: 'imper.ai Verification ID', maxLength: 40, readOnly: true }),
    x_imper_verify_details_url: UrlColumn({
      label: 'imper.ai Verification details',
      maxLength: 1024,
      readOnly: true,
    }),
    x_imper_verify_attention: StringColumn({ label: 'imper.ai Attention', maxLength: 255, readOnly: true }),
    x_imper_verify_action: ChoiceColumn({
      label: 'imper.ai Requested action',
      readOnly: true,
      dropdown: 'dropdown_with_none',
      choices: {
        none: { label: 'None', sequence: 10 },
        password_reset: { label: 'Password reset', sequence: 20 },
        account_unlock: { label: 'Account unlock', sequence: 30 },
        mfa_reset: { label: 'MFA reset', sequence: 40 },
      },
    }),
    x_imper_verify_action_status: ChoiceColumn({
      label: 'imper.ai Action status',
      readOnly: true,
      dropdown: 'dropdown_with_none',
      choices: {
        not_started: { label: 'Not started', sequence: 10 },
        completed: { label: 'Completed', sequence: 20 },
        failed: { label: 'Failed', sequence: 30 },
      },
    }),
  },
});
