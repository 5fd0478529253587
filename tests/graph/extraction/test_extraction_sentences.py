"""Chinese sentence splitting."""

from __future__ import annotations

from graph.extraction import Lexicon, split_sentences


def texts(text: str, lexicon: Lexicon) -> list[str]:
    return [s.text for s in split_sentences(text, lexicon)]


def test_splits_on_terminal_punctuation_and_line_ends(lexicon: Lexicon) -> None:
    text = "徐汇区率先完成登记。这标志着改革迈出关键步伐！是否可行？继续推进；\n图片新闻\n记者 刘坤"
    assert texts(text, lexicon) == [
        "徐汇区率先完成登记。",
        "这标志着改革迈出关键步伐！",
        "是否可行？",
        "继续推进；",
        "图片新闻",
        "记者 刘坤",
    ]


def test_keeps_quotations_together(lexicon: Lexicon) -> None:
    text = "他说：“数据登记不是简单备案。而是确权赋能，”随后离开。下一句。"
    assert texts(text, lexicon) == ["他说：“数据登记不是简单备案。而是确权赋能，”随后离开。", "下一句。"]


def test_closing_quote_stays_with_its_sentence(lexicon: Lexicon) -> None:
    assert texts("“杨浦必须创新。”他表示。", lexicon) == ["“杨浦必须创新。”", "他表示。"]


def test_unclosed_quotation_ends_at_the_line(lexicon: Lexicon) -> None:
    assert texts("“引号没有关闭。第二句。\n新的一行。", lexicon) == ["“引号没有关闭。第二句。", "新的一行。"]


def test_offsets_point_into_the_text(lexicon: Lexicon) -> None:
    text = "第一句。  第二句！\n\n第三句"
    for sentence in split_sentences(text, lexicon):
        assert text[sentence.start : sentence.end] == sentence.text
