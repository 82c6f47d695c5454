//! Writable streams (placeholder in this worktree).
mod side;
pub(crate) use self::side::WriteSide;
