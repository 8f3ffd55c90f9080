// The "imper.ai Verification" section of the requested item (sc_req_item) form, default view: the ticket columns in two columns
// (sys_ui_section with its sys_ui_element rows). Only the section is shipped — no sys_ui_form / sys_ui_form_section
// (the Form API would add a second sys_ui_form for sc_req_item's default view, with a new sys_id, next to the instance's
// own one); see README "Form layout".
import { Record, default_view } from '@servicenow/sdk/core';

export const scReqItemImperSection = Record({
  $id: Now.ID['form-section-sc-req-item'],
  table: 'sys_ui_section',
  data: {
    name: 'sc_req_item',
    caption: 'imper.ai Verification',
    view: default_view,
    sys_domain: 'global',
    header: false,
    title: false,
  },
});

export const scReqItemImperSectionBeginSplit = Record({
  $id: Now.ID['form-section-sc-req-item-begin-split'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: '.begin_split', position: 0, type: '.begin_split' },
});

export const scReqItemImperSectionVerification = Record({
  $id: Now.ID['form-section-sc-req-item-verification'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: 'x_imper_verify_verification', position: 1 },
});

export const scReqItemImperSectionStatus = Record({
  $id: Now.ID['form-section-sc-req-item-status'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: 'x_imper_verify_status', position: 2 },
});

export const scReqItemImperSectionRiskLevel = Record({
  $id: Now.ID['form-section-sc-req-item-risk-level'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: 'x_imper_verify_risk_level', position: 3 },
});

export const scReqItemImperSectionId = Record({
  $id: Now.ID['form-section-sc-req-item-id'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: 'x_imper_verify_id', position: 4 },
});

export const scReqItemImperSectionSplit = Record({
  $id: Now.ID['form-section-sc-req-item-split'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: '.split', position: 5, type: '.split' },
});

export const scReqItemImperSectionAttention = Record({
  $id: Now.ID['form-section-sc-req-item-attention'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: 'x_imper_verify_attention', position: 6 },
});

export const scReqItemImperSectionAction = Record({
  $id: Now.ID['form-section-sc-req-item-action'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: 'x_imper_verify_action', position: 7 },
});

export const scReqItemImperSectionActionStatus = Record({
  $id: Now.ID['form-section-sc-req-item-action-status'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: 'x_imper_verify_action_status', position: 8 },
});

export const scReqItemImperSectionEndSplit = Record({
  $id: Now.ID['form-section-sc-req-item-end-split'],
  table: 'sys_ui_element',
  data: { sys_ui_section: scReqItemImperSection, element: '.end_split', position: 9, type: '.end_split' },
});
