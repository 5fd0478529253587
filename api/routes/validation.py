"""``/validate`` (check records or RDF against the shapes, nothing written) and ``/shapes`` (the profile's shapes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.deps import ResourcesDep, SettingsDep, read_body
from api.errors import NotFound
from api.negotiation import PLAIN_RDF, negotiate
from api.responses import etag_for, negotiated, rdf_body
from api.uploads import body_file
from graph.formats import RdfSyntax
from graph.mapping import CatalogDefaults
from graph.source_check import SourceCheck, check_source
from ontology import GATE_LAYERS, ShapesLayer, load_shapes, shapes_text

router = APIRouter(tags=["Validation"])

JSON = "application/json"
TEXT = "text/plain"
TURTLE = "text/turtle"

LAYER_NOTES = {
    ShapesLayer.CORE: "必备:每条数据资源必须满足(导入闸门) / mandatory, enforced at import",
    ShapesLayer.RECOMMENDED: "推荐:缺失时给出警告 / recommended, warnings",
    ShapesLayer.VOCABULARIES: "受控词表:取值须来自分类体系(导入闸门) / controlled vocabularies, enforced at import",
    ShapesLayer.DCAT_AP: "欧盟 DCAT-AP 3.0.0 官方规则(参考) / the official DCAT-AP 3.0.0 shapes, for reference",
}


def _layers(shapes: str | None) -> tuple[ShapesLayer, ...]:
    if not shapes:
        return GATE_LAYERS
    return tuple(dict.fromkeys(ShapesLayer.parse(name.strip()) for name in shapes.split(",") if name.strip()))


@router.post(
    "/validate",
    summary="Validate records (CSV, JSON Lines, JSON) or RDF against the shapes; returns the report, writes nothing",
    response_model=None,
)
async def validate(
    request: Request,
    resources: ResourcesDep,
    settings: SettingsDep,
    shapes: Annotated[
        str | None, Query(description="layers, comma-separated: core, recommended, vocabularies, dcat-ap")
    ] = None,
    region: Annotated[str | None, Query(description="region for records that name none, e.g. 上海市徐汇区")] = None,
    format: Annotated[
        str | None, Query(description="json (report + readable text), text (readable) or turtle (SHACL)")
    ] = None,
) -> Response:
    layers = _layers(shapes)
    chosen = negotiate(request.headers.get("accept"), format, [JSON, TEXT, TURTLE])
    body = await read_body(request, settings.max_request_bytes)

    def run() -> SourceCheck:
        with body_file(body, request.headers.get("content-type"), "upload") as path:
            return check_source(path, resources.minter, layers, CatalogDefaults(region=region))

    checked = await run_in_threadpool(run)
    headers = {"Vary": "Accept"}
    if chosen == TEXT:
        return Response(checked.report.to_text(), media_type="text/plain; charset=utf-8", headers=headers)
    if chosen == TURTLE:
        return Response(checked.report.to_turtle(), media_type="text/turtle; charset=utf-8", headers=headers)
    body_json: dict[str, Any] = {**checked.to_json(), "text": checked.report.to_text()}
    return JSONResponse(body_json, headers=headers)


@router.get("/shapes", summary="The profile's SHACL shapes layers, with download links")
def shapes_index() -> dict[str, Any]:
    return {
        "layers": [
            {
                "name": layer.value,
                "note": LAYER_NOTES[layer],
                "gate": layer in GATE_LAYERS,
                "downloads": {syntax.name: f"/shapes/{layer.value}?format={syntax.name}" for syntax in PLAIN_RDF},
            }
            for layer in ShapesLayer
        ]
    }


@router.get("/shapes/{layer}", summary="One shapes layer as RDF (Turtle as shipped, or another syntax)")
def shapes_layer(layer: str, request: Request, format: str | None = Query(None)) -> Response:
    try:
        chosen_layer = ShapesLayer(layer)
    except ValueError:
        raise NotFound(
            f"no shapes layer {layer!r}; the layers are {', '.join(item.value for item in ShapesLayer)}",
            layers=[item.value for item in ShapesLayer],
        ) from None
    syntax = negotiate(request.headers.get("accept"), format, PLAIN_RDF)
    assert isinstance(syntax, RdfSyntax)
    etag = etag_for("shapes", chosen_layer.value, syntax.name, len(shapes_text(chosen_layer)))
    if syntax.name == "turtle":
        body = shapes_text(chosen_layer).encode("utf-8")
    else:
        body = rdf_body(load_shapes(chosen_layer), syntax)
    disposition = {"Content-Disposition": f'attachment; filename="kgcat-{chosen_layer.value}{syntax.extension}"'}
    return negotiated(request, body, syntax.media_type, etag, disposition)
