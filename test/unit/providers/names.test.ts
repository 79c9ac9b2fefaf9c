import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  entryStatusName,
  entryStatusValue,
  eventObjectTypeLabel,
  eventObjectTypeName,
  eventTypeLabel,
  eventTypeName,
  eventTypeValue,
  friendlyLabel,
  httpMethodName,
  legacyNotificationTypeName,
  secureHashingAlgoName,
  templateStatusName,
} from '../../../src/protocol/names';

test('eventType numbers and numeric strings map to names, plugin strings too', () => {
  assert.equal(eventTypeName(3), 'OBJECT_CHANGED');
  assert.equal(eventTypeName('4'), 'OBJECT_COPIED');
  assert.equal(eventTypeName(13), 'OBJECT_READY_FOR_INDEX');
  assert.equal(eventTypeName('integrationEventNotifications.INTEGRATION_JOB_CLOSED'), 'INTEGRATION_JOB_CLOSED');
  assert.equal(eventTypeName(99), undefined);
  assert.equal(eventTypeName(undefined), undefined);
  assert.equal(eventTypeName('toString'), undefined, 'prototype keys are not names');
});

test('eventObjectType, entry status, template status, method, hashing algo, legacy type', () => {
  assert.equal(eventObjectTypeName(1), 'ENTRY');
  assert.equal(eventObjectTypeName('37'), 'CATEGORYENTRY');
  assert.equal(eventObjectTypeName('metadataEventNotifications.Metadata'), 'METADATA');
  assert.equal(eventObjectTypeName(6), undefined);
  assert.equal(entryStatusName(-2), 'ERROR_IMPORTING');
  assert.equal(entryStatusName('2'), 'READY');
  assert.equal(entryStatusName(7), 'NO_CONTENT');
  assert.equal(templateStatusName(2), 'ACTIVE');
  assert.equal(httpMethodName(2), 'POST');
  assert.equal(secureHashingAlgoName(3), 'SHA_512');
  assert.equal(legacyNotificationTypeName(1), 'entry_add');
  assert.equal(legacyNotificationTypeName(26), 'user_banned');
});

test('reverse lookups', () => {
  assert.equal(eventTypeValue('object_changed'), 3);
  assert.equal(entryStatusValue('READY'), 2);
  assert.equal(entryStatusValue('ERROR_CONVERTING'), -1);
  assert.equal(eventTypeValue('NOPE'), undefined);
});

test('friendly labels', () => {
  assert.equal(friendlyLabel('OBJECT_CHANGED'), 'Object changed');
  assert.equal(friendlyLabel('ENTRY'), 'Entry');
  assert.equal(friendlyLabel('KUSER'), 'User');
  assert.equal(eventTypeLabel(2), 'Object added');
  assert.equal(eventObjectTypeLabel(1), 'Entry');
  assert.equal(eventObjectTypeLabel(999), 'Object type 999');
});
