import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionsMatch, evalBoolean, evalField, evalParameters } from '../../../src/sandbox/conditions';

const entry = { id: '0_abcd1234', name: 'Clip', status: 2, referenceId: 'ref-1', objectType: 'KalturaMediaEntry' };
const statusChanged = { object: entry, partnerId: 99, modifiedColumns: ['entry.STATUS'] };
const nameChanged = { object: entry, partnerId: 99, modifiedColumns: ['entry.NAME'] };
const STATUS_CODE = '$scope->getObject() instanceof entry && in_array(entryPeer::STATUS, $scope->getEvent()->getModifiedColumns())';

test('field expressions read the scope object through getters', () => {
  assert.equal(evalField('$scope->getObject()->getId()', statusChanged), '0_abcd1234');
  assert.equal(evalField('$scope->getEvent()->getObject()->getStatus()', statusChanged), '2');
  assert.equal(evalField('$scope->getObject()->getReferenceID()', statusChanged), 'ref-1');
  assert.equal(evalField('$scope->getPartnerId()', statusChanged), '99');
  assert.equal(evalField('strtoupper($scope->getObject()->getName())', statusChanged), undefined);
});

test('the "Entry Status Changed" condition holds only when the status column changed', () => {
  assert.deepEqual(evalBoolean(STATUS_CODE, statusChanged), { value: true, unsupported: [] });
  assert.deepEqual(evalBoolean(STATUS_CODE, nameChanged), { value: false, unsupported: [] });
  assert.equal(evalBoolean('$scope->getObject()->getStatus() == entryStatus::READY', statusChanged).value, true);
  assert.equal(evalBoolean('$scope->getObject()->getStatus() != 2', statusChanged).value, false);
  assert.equal(evalBoolean('!($scope->getObject() instanceof categoryEntry)', statusChanged).value, true);
});

test('unknown expressions never match silently: they are reported', () => {
  const r = evalBoolean('myFunction($scope)', statusChanged);
  assert.equal(r.value, false);
  assert.deepEqual(r.unsupported, ['myFunction($scope)']);
});

test('condition classes: field, match, compare, object-changed, and not', () => {
  const field = { objectType: 'KalturaEventFieldCondition', field: { objectType: 'KalturaEvalBooleanField', code: STATUS_CODE } };
  const match = (value: string, not = false) => ({
    objectType: 'KalturaFieldMatchCondition', not,
    field: { objectType: 'KalturaEvalStringField', code: '$scope->getObject()->getStatus()' },
    values: [{ objectType: 'KalturaStringValue', value }],
  });
  const compare = { objectType: 'KalturaFieldCompareCondition', field: { code: '$scope->getObject()->getStatus()' }, value: { value: '1' }, comparison: 2 };
  const changed = { objectType: 'KalturaEventObjectChangedCondition', modifiedColumns: 'name' };
  assert.equal(conditionsMatch([field, match('2')], statusChanged).value, true);
  assert.equal(conditionsMatch([field, match('4')], statusChanged).value, false);
  assert.equal(conditionsMatch([match('4', true)], statusChanged).value, true);
  assert.equal(conditionsMatch([compare], statusChanged).value, true);
  assert.equal(conditionsMatch([changed], nameChanged).value, true);
  assert.equal(conditionsMatch([changed], statusChanged).value, false);
  assert.equal(conditionsMatch(undefined, statusChanged).value, true);
  assert.deepEqual(conditionsMatch([{ objectType: 'KalturaOrCondition' }], statusChanged).unsupported, ['condition class KalturaOrCondition']);
});

test('content and user parameters evaluate in order', () => {
  const pairs = evalParameters(
    {
      contentParameters: [{ key: 'entry_id', value: { code: '$scope->getObject()->getId()' } }],
      userParameters: { 0: { key: 'static', value: { objectType: 'KalturaStringValue', value: 'v' } } },
    },
    statusChanged,
  );
  assert.deepEqual(pairs, [['entry_id', '0_abcd1234'], ['static', 'v']]);
});
