// Form button on every task table. Client-side so the ticket stays open: it opens the app's launch route in a
// new tab (g_navigation; scoped apps may not use window.open). The route mints the launch token on the
// instance and redirects to the service, so no secret reaches the browser.
import { UiAction } from '@servicenow/sdk/core';
import { agentRole } from '../roles/agent.now';

UiAction({
  $id: Now.ID['ui-action-send-verification-link'],
  table: 'task',
  name: 'imper.ai - Send Verification link',
  actionName: 'x_imper_verify_send_link',
  hint: 'Open imper.ai to send the requester an identity verification link',
  comments: 'Visible while the ticket has a verification status and is not closed.',
  active: true,
  showInsert: false,
  showUpdate: true,
  condition: '!current.isNewRecord() && !current.x_imper_verify_status.nil() && current.active == true',
  roles: [agentRole, 'itil'],
  form: { showButton: true, showLink: true, showContextMenu: false, style: 'primary' },
  client: {
    isClient: true,
    isUi11Compatible: true,
    isUi16Compatible: true,
    onClick: 'imperVerifySendLink()',
  },
  script: `function imperVerifySendLink() {
  var url = '/api/x_imper_verify/imper/launch?table=' + encodeURIComponent(g_form.getTableName()) +
    '&sys_id=' + encodeURIComponent(g_form.getUniqueValue());
  g_navigation.open(url, '_blank');
}`,
  order: 100,
});
