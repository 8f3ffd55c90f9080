// The "imper.ai Verification" section of the task (and the task tables without a layout of their own) form, default view: the ticket columns in two columns
// (sys_ui_section with its sys_ui_element rows). Only the section is shipped — no sys_ui_form / sys_ui_form_section
// (the Form API would add a second sys_ui_form for task's default view, with a new sys_id, next to the instance's
// own one); see README "Form layout".
import { Record, default_view } from '@servicenow/sdk/core';

export const taskImperSection = Record({
  $id: Now.ID['form-section-task'],
  table: 'sys_ui_section',
  data: {
    name: 'task',
    caption: 'imper.ai Verification',
    view: default_view,
    sys_domain: 'global',
    header: false,
    title: false,
  },
});

export const taskImperSectionBeginSplit = Record({
  $id: Now.ID['form-section-task-begin-split'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: '.begin_split', position: 0, type: '.begin_split' },
});

export const taskImperSectionVerification = Record({
  $id: Now.ID['form-section-task-verification'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: 'x_imper_verify_verification', position: 1 },
});

export const taskImperSectionStatus = Record({
  $id: Now.ID['form-section-task-status'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: 'x_imper_verify_status', position: 2 },
});

export const taskImperSectionRiskLevel = Record({
  $id: Now.ID['form-section-task-risk-level'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: 'x_imper_verify_risk_level', position: 3 },
});

export const taskImperSectionId = Record({
  $id: Now.ID['form-section-task-id'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: 'x_imper_verify_id', position: 4 },
});

export const taskImperSectionSplit = Record({
  $id: Now.ID['form-section-task-split'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: '.split', position: 5, type: '.split' },
});

export const taskImperSectionAttention = Record({
  $id: Now.ID['form-section-task-attention'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: 'x_imper_verify_attention', position: 6 },
});

export const taskImperSectionAction = Record({
  $id: Now.ID['form-section-task-action'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: 'x_imper_verify_action', position: 7 },
});

export const taskImperSectionActionStatus = Record({
  $id: Now.ID['form-section-task-action-status'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: 'x_imper_verify_action_status', position: 8 },
});

export const taskImperSectionEndSplit = Record({
  $id: Now.ID['form-section-task-end-split'],
  table: 'sys_ui_element',
  data: { sys_ui_section: taskImperSection, element: '.end_split', position: 9, type: '.end_split' },
});
