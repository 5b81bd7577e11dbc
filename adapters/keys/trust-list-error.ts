import { Schema } from "effect"

/** A trust list that cannot be believed: unsigned, altered, signed by another root, or not a trust list. */
export class InvalidTrustList extends Schema.TaggedError<InvalidTrustList>()("InvalidTrustList", {
  message: Schema.String
}) {}
