// Kaltura API errors as the server reports them: HTTP 200 with a KalturaAPIException body. Messages follow the
// server's error catalogue (`CODE;ARG,ARG;message with @ARG@`), so clients that match on code or text behave
// as they would against Kaltura.

export interface ApiExceptionBody {
  code: string;
  message: string;
  objectType: 'KalturaAPIException';
  args: Array<{ objectType: 'KalturaApiExceptionArg'; name: string; value: string }>;
}

/** What the sandbox throws where Kaltura throws KalturaAPIException (the client's own error class is core/kaltura KalturaApiError). */
export class SandboxApiException extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly args: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): ApiExceptionBody {
    return {
      code: this.code,
      message: this.message,
      objectType: 'KalturaAPIException',
      args: Object.entries(this.args).map(([name, value]) => ({ objectType: 'KalturaApiExceptionArg', name, value })),
    };
  }
}

/** Builds an error from a catalogue line: message placeholders `@NAME@` are filled from args. */
function define(code: string, template: string, ...argNames: string[]) {
  return (...values: Array<string | number>): SandboxApiException => {
    const args: Record<string, string> = {};
    argNames.forEach((name, i) => (args[name] = String(values[i] ?? '')));
    const message = template.replace(/@([A-Z_]+)@/g, (_, name: string) => args[name] ?? '');
    return new SandboxApiException(code, message, args);
  };
}

/** ks::validate error codes (kaltura/server alpha/lib/ks.class.php). */
export const KS_ERR = {
  INVALID_STR: [-1, 'INVALID_STR'],
  INVALID_PARTNER: [-2, 'INVALID_PARTNER'],
  EXPIRED: [-5, 'EXPIRED'],
  LOGOUT: [-6, 'LOGOUT'],
} as const;

export const errors = {
  invalidKs: define('INVALID_KS', 'Invalid KS "@KS@". Error "@ERR_CODE@,@ERR_DESC@"', 'KS', 'ERR_CODE', 'ERR_DESC'),
  missingKs: define('MISSING_KS', 'Missing KS, session not established'),
  startSession: define('START_SESSION_ERROR', 'Error while starting session for partner [@PARTNER_ID@]', 'PARTNER_ID'),
  invalidWidgetId: define('INVALID_WIDGET_ID', 'Invalid widget id [@WIDGET_ID@]', 'WIDGET_ID'),
  serviceForbidden: define('SERVICE_FORBIDDEN', 'The access to service [@SERVICE@] is forbidden', 'SERVICE'),
  featureForbidden: define('FEATURE_FORBIDDEN', 'The usage of feature [@FEATURE@] is forbidden', 'FEATURE'),
  serviceDoesNotExist: define('SERVICE_DOES_NOT_EXISTS', 'Service "@SERVICE@" does not exist', 'SERVICE'),
  actionDoesNotExist: define('ACTION_DOES_NOT_EXISTS', 'Action "@ACTION@" does not exist for service "@SERVICE@"', 'ACTION', 'SERVICE'),
  missingParameter: define('MISSING_MANDATORY_PARAMETER', 'Missing parameter "@PARAM_NAME@"', 'PARAM_NAME'),
  invalidParameter: define('INVALID_PARAMETER_VALUE', 'Invalid value for parameter "@PARAM_NAME@": @REASON@', 'PARAM_NAME', 'REASON'),
  notUpdatable: define('PROPERTY_VALIDATION_NOT_UPDATABLE', 'Property "@PROP_NAME@" cannot be updated', 'PROP_NAME'),
  wrongFormat: define('PROPERTY_VALIDATION_WRONG_FORMAT', 'Property "@PROP_NAME@" has a wrong format: @REASON@', 'PROP_NAME', 'REASON'),
  minValue: define('PROPERTY_VALIDATION_MIN_VALUE', 'Property "@PROP_NAME@" must have a min value of @MIN_VALUE@', 'PROP_NAME', 'MIN_VALUE'),
  minLength: define('PROPERTY_VALIDATION_MIN_LENGTH', 'The property "@PROP_NAME@" must have a min length of @MIN_LEN@ characters', 'PROP_NAME', 'MIN_LEN'),
  maxLength: define('PROPERTY_VALIDATION_MAX_LENGTH', 'The property "@PROP_NAME@" cannot have more than @MAX_LEN@ characters', 'PROP_NAME', 'MAX_LEN'),
  invalidEnumValue: define(
    'INVALID_ENUM_VALUE',
    'Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", expecting enumeration type "@ENUM_TYPE@"',
    'ENUM_VAL',
    'PARAM_NAME',
    'ENUM_TYPE',
  ),
  invalidObjectId: define('INVALID_OBJECT_ID', 'Invalid object id [@ID@]', 'ID'),
  cannotBeNull: define('PROPERTY_VALIDATION_CANNOT_BE_NULL', 'Property "@PROP_NAME@" cannot be null', 'PROP_NAME'),
  objectTypeAbstract: define('OBJECT_TYPE_ABSTRACT', 'The object type "@TYPE@" is abstract, use one of its subclasses', 'TYPE'),
  templateNotFound: define('EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND', 'Event notification template id [@ID@] not found', 'ID'),
  duplicateSystemName: define(
    'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME',
    'Event notification template system name [@SYSTEM_NAME@] already exists',
    'SYSTEM_NAME',
  ),
  wrongType: define('EVENT_NOTIFICATION_WRONG_TYPE', 'Event notification template id [@ID@] is of type [@TYPE@]', 'ID', 'TYPE'),
  dispatchDisabled: define('EVENT_NOTIFICATION_DISPATCH_DISABLED', 'Dispatch disabled for event notification template id [@ID@]', 'ID'),
  dispatchFailed: define('EVENT_NOTIFICATION_DISPATCH_FAILED', 'Dispatch failed for event notification template id [@ID@]', 'ID'),
  entryNotFound: define('ENTRY_ID_NOT_FOUND', 'Entry id "@ENTRY_ID@" not found', 'ENTRY_ID'),
  invalidEntryId: define('INVALID_ENTRY_ID', 'Invalid entry id ["@ID@"]', 'ID'),
  categoryNotFound: define('CATEGORY_NOT_FOUND', 'Category id "@ID@" not found', 'ID'),
  parentCategoryNotFound: define('PARENT_CATEGORY_NOT_FOUND', 'Parent category id "@ID@" not found', 'ID'),
  duplicateCategory: define('DUPLICATE_CATEGORY', 'The category "@CATEGORY@" already exists', 'CATEGORY'),
  categoryEntryAlreadyExists: define('CATEGORY_ENTRY_ALREADY_EXISTS', 'Entry already assigned to this category'),
  entryNotAssignedToCategory: define('ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY', "Entry doesn't assigned to category"),
  mustFilterOnEntryOrCategory: define('MUST_FILTER_ON_ENTRY_OR_CATEGORY', 'Must filter on entry id or category'),
  appTokenNotFound: define('APP_TOKEN_ID_NOT_FOUND', 'Application token id [@ID@] not found', 'ID'),
  invalidAppTokenHash: define('INVALID_APP_TOKEN_HASH', 'Invalid application token hash'),
  internal: define('INTERNAL_SERVERL_ERROR', 'Internal server error occurred'),
};
