//! Placeholder.
use std::marker::PhantomData;
use std::rc::Rc;

use crate::stream::Core;

pub(crate) struct WriteSide<R: 'static, W: 'static> {
    _types: PhantomData<fn(R, W)>,
}

impl<R: 'static, W: 'static> WriteSide<R, W> {
    pub(crate) fn is_writable(&self, _core: &Core<R, W>) -> bool {
        false
    }
    pub(crate) fn on_destroy(&self, _core: &Rc<Core<R, W>>) {}
    pub(crate) fn release_hooks(&self) {}
    pub(crate) fn on_constructed(&self, _core: &Rc<Core<R, W>>) {}
    pub(crate) fn is_finished_or_disabled(&self) -> bool {
        true
    }
}

impl<R: 'static, W: 'static> Core<R, W> {
    pub(crate) fn end_writable_after_readable(self: &Rc<Self>) {}
}
