"""Chinese names of what pages show: properties, kinds of entity, and relations seen from the other end."""

from __future__ import annotations

from rdflib import URIRef

from ontology.namespaces import ADMS, DCAT3, DCTERMS, FOAF, KGCAT, OA, ORG, PROV, RDF, RDFS, SDO, SKOS

PROPERTY_LABELS: dict[URIRef, str] = {
    RDF.type: "类型",
    DCTERMS.title: "名称",
    DCTERMS.description: "描述",
    DCTERMS.publisher: "提供部门",
    DCTERMS.creator: "创建者",
    DCTERMS.identifier: "标识符",
    DCTERMS.issued: "发布日期",
    DCTERMS.modified: "更新日期",
    DCTERMS.date: "日期",
    DCTERMS.accessRights: "开放属性",
    DCTERMS.accrualPeriodicity: "更新频率",
    DCTERMS.spatial: "空间范围",
    DCTERMS.format: "格式",
    DCTERMS.license: "许可",
    DCTERMS.isPartOf: "属于",
    DCTERMS.source: "来源",
    DCAT3.theme: "数据领域",
    DCAT3.keyword: "关键词",
    DCAT3.distribution: "数据分发",
    DCAT3.dataset: "数据资源",
    DCAT3.landingPage: "页面",
    DCAT3.accessURL: "访问地址",
    DCAT3.downloadURL: "下载地址",
    DCAT3.mediaType: "媒体类型",
    DCAT3.contactPoint: "联系方式",
    ADMS.identifier: "其他标识符",
    FOAF.name: "名称",
    FOAF.homepage: "主页",
    ORG.subOrganizationOf: "上级机构",
    SKOS.prefLabel: "名称",
    SKOS.altLabel: "又称",
    SKOS.inScheme: "所属分类体系",
    SKOS.notation: "编码",
    RDFS.label: "标签",
    PROV.wasAttributedTo: "归属",
    PROV.generatedAtTime: "生成时间",
    SDO.mentions: "提及",
    KGCAT.district: "所属区",
    KGCAT.shareAttribute: "共享属性",
    KGCAT.participant: "参与单位",
    KGCAT.partOfPlan: "所属规划",
    KGCAT.additionalField: "其他登记信息",
    KGCAT.publisherBasis: "提供部门认定依据",
    KGCAT.normalisedText: "全文",
    KGCAT.encoding: "编码方式",
}

INCOMING_LABELS: dict[URIRef, str] = {
    DCTERMS.publisher: "提供的数据资源和政策",
    PROV.wasAttributedTo: "归属于它的条目",
    ORG.subOrganizationOf: "下属机构",
    KGCAT.participant: "参与的政策和项目",
    KGCAT.partOfPlan: "规划中的指标",
    SDO.mentions: "提及它的文件",
    DCAT3.theme: "属于这个领域的数据资源",
    DCTERMS.accessRights: "这样开放的数据资源",
    DCTERMS.spatial: "位于这里的条目",
    KGCAT.district: "位于这里的条目",
    SKOS.inScheme: "包含的概念",
    DCAT3.dataset: "收录它的目录",
}
"""Headings for the entities that point at the one shown, by the predicate they point with."""

HIDDEN_PROPERTIES: frozenset[URIRef] = frozenset({RDF.type})
"""Properties the facts table leaves out (the type is a badge)."""

HIDDEN_REFERRERS: frozenset[URIRef] = frozenset({RDF.subject, RDF.object, OA.hasBody, OA.hasSource, OA.hasTarget})
"""Links from provenance records (reified extracted relations, mention annotations, their targets) that the
pages do not list: the sentences they point to are shown as such."""

KIND_OF_TYPE: tuple[tuple[URIRef, str, str], ...] = (
    (DCAT3.Dataset, "Dataset", "数据资源"),
    (KGCAT.DataResource, "DataResource", "数据资源(文中提及)"),
    (KGCAT.Policy, "Policy", "政策"),
    (KGCAT.Project, "Project", "项目"),
    (KGCAT.Indicator, "Indicator", "指标"),
    (ORG.OrganizationalUnit, "Department", "部门"),
    (FOAF.Agent, "Organization", "机构"),
    (KGCAT.SourceDocument, "Document", "文件"),
    (SKOS.Concept, "Concept", "分类概念"),
    (SKOS.ConceptScheme, "Scheme", "分类体系"),
)
"""(RDF type, kind key, Chinese badge) in order of precedence: the first type an entity has names it."""


def kind_of(types: list[URIRef]) -> tuple[str, str] | None:
    """The (kind key, Chinese badge) of an entity with these RDF types, if it is one people know."""
    for rdf_type, key, label in KIND_OF_TYPE:
        if rdf_type in types:
            return key, label
    return None
