"""Where the portal's templates spend less than stock Jinja's, writing the same text: a list page
writes hundreds of values and calls its helpers hundreds of times. Three parts, each installed
through Jinja's own extension points (create_app): JoiningCodeGenerator (code_generator_class),
escape (which that generator's modules use) and CallingContext (context_class).

Jinja compiles `<a href="{{ u }}">{{ t }}</a>` into five `yield`s, and every piece a template
yields is passed up through each template that includes or extends it (a list row: its own
generator, the page's block, the base template's): a representative's agreement list yields about
a thousand pieces. This generator collects each run of output (an `Output` node: text and
expressions between two tags) into a list and yields it joined, once. What is written, and in
which order the expressions are evaluated, stay the same; only the size of the pieces changes.
It also writes values with `escape` below, which returns a Markup value as it is."""

from types import FunctionType
from typing import Any

import markupsafe
from jinja2 import pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Output, Template
from jinja2.runtime import Context
from jinja2.utils import internalcode

#: an output node with fewer parts than this is cheaper yielded piece by piece
_JOINED_FROM = 3


def escape(value: Any) -> markupsafe.Markup:  # noqa: ANN401 (any value a template writes)
    """markupsafe.escape, except that a Markup value is returned as it is: markupsafe copies a
    value that is safe already (a translated string, a party's label) into a new Markup, looking
    for its __html__ twice, and a list page writes hundreds of them."""
    if type(value) is markupsafe.Markup:
        return value
    return markupsafe.escape(value)


class JoiningCodeGenerator(CodeGenerator):
    def visit_Template(self, node: Template, frame: Frame | None = None) -> None:
        super().visit_Template(node, frame)
        # last in the module, so it replaces the `escape` Jinja imports at its top: the
        # template's functions look it up when they run
        self.writeline("from portal.templating import escape")

    def visit_Output(self, node: Output, frame: Frame) -> None:
        unbuffered = frame.buffer is None and not frame.require_output_check
        if not unbuffered or self.environment.is_async or len(node.nodes) < _JOINED_FROM:
            super().visit_Output(node, frame)
            return
        # Jinja's own buffered output (as in macros) into a list of this node's, then one yield
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = []")
        try:
            super().visit_Output(node, frame)
        finally:
            buffer, frame.buffer = frame.buffer, None
        self.writeline(f"yield concat({buffer})")


#: the marker pass_eval_context sets (read from a function it marked: Jinja's enum is private)
_EVAL_CONTEXT = pass_eval_context(lambda: None).jinja_pass_arg  # type: ignore[attr-defined]


class CallingContext(Context):
    """Jinja's template context, calling a plain function that asks for no context directly.

    Jinja's `call` asks every callable twice whether it wants the context, the eval context or
    the environment passed (a marker set by `pass_context` and its kin, on the callable or on
    its `__call__`), each time it is called: a list page calls its helpers hundreds of times.
    A function's own attributes hold that marker, so for a plain function one look-up decides,
    and one that asks for the eval context (a template's `_()`) gets it as Jinja gives it;
    anything else goes to Jinja's `call`."""

    @internalcode
    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 (a template's call)
        if type(obj) is not FunctionType:
            return super().call(obj, *args, **kwargs)
        wants = obj.__dict__.get("jinja_pass_arg")
        if wants is _EVAL_CONTEXT:  # a template's `_()`, on every string
            args = (self.eval_ctx, *args)
        elif wants is not None:
            return super().call(obj, *args, **kwargs)
        __traceback_hide__ = True  # noqa: F841 (read by Jinja's traceback rewriting)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:  # as Jinja answers it
            return self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )
