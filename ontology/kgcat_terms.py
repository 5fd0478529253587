"""Closed namespace for KGCAT terms, generated from ontology/data/kgcat.ttl. Do not edit by hand."""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class KGCAT(DefinedNamespace):
    """The kgcat project vocabulary (DCAT-AP-CN terms).

    Generated from ontology/data/kgcat.ttl by rdflib.tools.defined_namespace_creator --fail;
    tests/ontology/test_namespaces.py checks that the term sets agree.
    """

    _NS = Namespace("https://kgcat.example.org/def/kgcat#")

    _fail = True

    AdditionalField: URIRef  # 登记记录中未映射到标准属性的原始字段,原样保留。 A field of a registration record that maps to no standard property, kept verbatim.
    DataResource: URIRef  # 文档中提到、但尚无登记记录描述的数据资源(如“人口库”);一旦登记,同一 IRI 即成为 dcat:Dataset。 A data resource a document names but no registration record describes yet (e.g. 人口库); once registered, the same IRI is also a dcat:Dataset.
    Indicator: URIRef  # 规划文件主要指标表中的一项指标,含单位、目标值与指标属性。 One row of a plan's main-indicator table, with unit, target value and nature.
    Policy: URIRef  # 政府或其部门发布的规划、方案、措施、意见、行动计划或框架协议。 A plan, programme, measure, opinion, action plan or framework agreement issued by a government body.
    Project: URIRef  # 政府推动的工程、项目、中心、基地、先导区或联动创新区等建设事项。 A government-driven undertaking: a programme, project, centre, base, pilot zone or innovation zone.
    SourceDocument: URIRef  # 被导入并抽取实体的文档(报纸版面、规划文本等)。 A document kgcat ingested and extracted entities from (a newspaper page, a plan).
    SourceGraph: URIRef  # 由一个来源(记录文件或文档)导入的命名图。 The named graph imported from one source (a records file or a document).
    additionalField: URIRef  # 保留下来的未映射原始字段。 A kept, unmapped field of the source record.
    baselineValue: URIRef  # 指标在规划基期的取值。 The value of an indicator in the plan's base year.
    confidence: URIRef  # 抽取结果(提及或关系)的置信度,0 到 1 之间。 How confident the extractor is in a mention or relation, between 0 and 1.
    contentHash: URIRef  # 来源内容的 SHA-256 摘要;摘要未变的来源再次导入时不做任何改动。 SHA-256 of the source content; re-importing a source with an unchanged hash changes nothing.
    district: URIRef  # 部门、目录或项目所属的行政区。 The administrative district a body, catalogue or project belongs to.
    encoding: URIRef  # 来源文档被读取时使用的文本编码。 The text encoding the source document was read with.
    extractionRule: URIRef  # 得出该提及或关系的抽取规则名称。 The name of the extraction rule that produced a mention or relation.
    fieldName: URIRef  # 附加字段在来源中的名称。 The name of the additional field in its source.
    fieldValue: URIRef  # 附加字段在来源中的原始值。 The verbatim value of the additional field.
    indicatorNature: URIRef  # 指标属性,如预期性或约束性。 Whether the indicator is anticipatory (预期性) or binding (约束性).
    normalisedText: URIRef  # 修复分页断行等排版痕迹后的文档全文;提及与句子的字符位置均指此文本。 The document text after repairing page-break and layout artefacts; the character positions of mentions and sentences refer to it.
    partOfPlan: URIRef  # 指标或项目所属的规划文件。 The plan an indicator or project belongs to.
    participant: URIRef  # 参与项目或协议的部门、机构或企业。 A body, organisation or company taking part in a project or agreement.
    publisherBasis: URIRef  # 说明数据资源的发布部门依据何种来源或规则认定。 Says on what source or documented rule the publisher of a data resource was assigned.
    recordCount: URIRef  # 来源命名图中写入的记录数。 How many records of the source were written to its graph.
    rejectedCount: URIRef  # 因违反核心约束而未写入的记录数。 How many records of the source were not written because they broke a core constraint.
    relatedDataset: URIRef  # 与政策或项目相关的数据资源。 A data resource a policy or project concerns.
    shareAttribute: URIRef  # 数据资源在政务部门间的共享属性(无条件共享 / 有条件共享 / 不予共享)。 Whether a data resource is shared between government bodies (unconditional / conditional / not shared).
    sourceFile: URIRef  # 导入时来源文件的名称。 The file name the source was imported from.
    targetValue: URIRef  # 指标在规划期末的目标值。 The value an indicator should reach by the end of the plan.
    unit: URIRef  # 指标的计量单位,原文照录。 The unit of an indicator, as written in the source.
