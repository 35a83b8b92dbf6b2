// The example's message review handler: denies messages that contain a blocked word.
// IVS Chat invokes it synchronously for every message, with a 200 ms time limit.
const BLOCKED_WORDS = (process.env.BLOCKED_WORDS || '').split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);

exports.handler = async (event) => {
  const words = String(event.Content || '').toLowerCase().split(/[^\p{L}\p{N}]+/u);
  const blocked = words.some((word) => BLOCKED_WORDS.includes(word));
  // A DENY's Attributes.Reason reaches the sender in the 406 error.
  return blocked
    ? { ReviewResult: 'DENY', Attributes: { Reason: 'This message contains a blocked word' } }
    : { ReviewResult: 'ALLOW', Content: event.Content };
};
