"""The pipeline's stages, in the order data flows through them.

load (YAML with line marks) -> content (validated model) -> layouts (manifests, geometry) -> flow (which
sections go where) -> html (template sandbox: HTML and CSS) -> engine (the one WeasyPrint adapter: PDF and
measurements) -> check (the contract, from measurements) -> fit (re-plan and shrink until it fits) ->
finish (structure order, metadata, print marks) -> write (atomic). Every file is read through `files`."""
