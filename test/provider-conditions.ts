/** IAM conditions the provider's statements must carry (written out literally: the expected side of template tests). */
export const STACK_ID = { Ref: 'AWS::StackId' };
/** On a resource of its own stack (the ownership tag). */
export const OWNED = { StringEquals: { 'aws:ResourceTag/cdk-ivs-chat:stack': STACK_ID } };
/** A tag or untag that leaves the provider's own two tags alone. */
export const NOT_PROVIDER_TAGS = { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['cdk-ivs-chat:cfn-request', 'cdk-ivs-chat:stack'] } };
/** Setting the ownership tag to this stack where it is missing or already this stack's. */
export const CLAIM = {
  StringEquals: { 'aws:RequestTag/cdk-ivs-chat:stack': STACK_ID },
  StringEqualsIfExists: { 'aws:ResourceTag/cdk-ivs-chat:stack': STACK_ID },
};
/** A create that carries the ownership tag for this stack. */
export const CREATE = {
  'StringEquals': { 'aws:RequestTag/cdk-ivs-chat:stack': STACK_ID },
  'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cdk-ivs-chat:stack'] },
};
