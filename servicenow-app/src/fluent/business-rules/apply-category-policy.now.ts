import { BusinessRule } from '@servicenow/sdk/core';
import { applyCategoryPolicy } from '../../server/category-rule';

BusinessRule({
  $id: Now.ID['br-apply-category-policy'],
  name: 'imper.ai - apply category policy',
  description:
    'Sets verification status "required" and the Send Verification link when a ticket is created in, or moved into, a category whose policy requires verification; clears them when it moves out before anything was sent.',
  table: 'task',
  when: 'before',
  action: ['insert', 'update'],
  order: 100,
  active: true,
  script: applyCategoryPolicy,
});
