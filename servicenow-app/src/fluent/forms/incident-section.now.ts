// The "imper.ai Verification" section of the incident form, default view: the ticket columns in two columns
// (sys_ui_section with its sys_ui_element rows). Only the section is shipped — no sys_ui_form / sys_ui_form_section
// (the Form API would add a second sys_ui_form for incident's default view, with a new sys_id, next to the instance's
// own one); see README "Form layout".
import { Record, default_view } from '@servicenow/sdk/core';

export const incidentImperSection = Record({
  $id: Now.ID['form-section-incident'],
  table: 'sys_ui_section',
  data: {
    name: 'incident',
    caption: 'imper.ai Verification',
    view: default_view,
    sys_domain: 'global',
    header: false,
    title: false,
  },
});

export const incidentImperSectionBeginSplit = Record({
  $id: Now.ID['form-section-incident-begin-split'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: '.begin_split', position: 0, type: '.begin_split' },
});

export const incidentImperSectionVerification = Record({
  $id: Now.ID['form-section-incident-verification'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: 'x_imper_verify_verification', position: 1 },
});

export const incidentImperSectionStatus = Record({
  $id: Now.ID['form-section-incident-status'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: 'x_imper_verify_status', position: 2 },
});

export const incidentImperSectionRiskLevel = Record({
  $id: Now.ID['form-section-incident-risk-level'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: 'x_imper_verify_risk_level', position: 3 },
});

export const incidentImperSectionId = Record({
  $id: Now.ID['form-section-incident-id'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: 'x_imper_verify_id', position: 4 },
});

export const incidentImperSectionSplit = Record({
  $id: Now.ID['form-section-incident-split'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: '.split', position: 5, type: '.split' },
});

export const incidentImperSectionAttention = Record({
  $id: Now.ID['form-section-incident-attention'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: 'x_imper_verify_attention', position: 6 },
});

export const incidentImperSectionAction = Record({
  $id: Now.ID['form-section-incident-action'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: 'x_imper_verify_action', position: 7 },
});

export const incidentImperSectionActionStatus = Record({
  $id: Now.ID['form-section-incident-action-status'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: 'x_imper_verify_action_status', position: 8 },
});

export const incidentImperSectionEndSplit = Record({
  $id: Now.ID['form-section-incident-end-split'],
  table: 'sys_ui_element',
  data: { sys_ui_section: incidentImperSection, element: '.end_split', position: 9, type: '.end_split' },
});
