"""Language: non-English articles are set aside before coding, short texts are not judged."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.readers import read_inputs
from eventwire.readers.language import guess_language, is_english, script_language
from eventwire.records.errors import ErrorCode, InputError
from eventwire.records.model import Article

SAMPLES = {
    "en": "Rebels seized the town of Kidal on Monday, officials said, after two days of fighting "
          "with government troops. The army said it would retake the town within days.",
    "es": "Los rebeldes tomaron el lunes la ciudad de Kidal, según dijeron las autoridades, "
          "después de dos días de combates con las tropas del gobierno. El ejército dijo que "
          "recuperaría la ciudad en pocos días.",
    "fr": "Les rebelles ont pris lundi la ville de Kidal, selon les autorités, après deux jours "
          "de combats avec les troupes du gouvernement. L'armée a dit qu'elle reprendrait la "
          "ville dans quelques jours.",
    "de": "Die Rebellen haben am Montag die Stadt Kidal eingenommen, wie Beamte mitteilten, nach "
          "zwei Tagen der Kämpfe mit den Truppen der Regierung. Die Armee sagte, sie werde die "
          "Stadt in wenigen Tagen zurückerobern.",
    "pt": "Os rebeldes tomaram na segunda-feira a cidade de Kidal, segundo as autoridades, após "
          "dois dias de combates com as tropas do governo. O exército disse que vai retomar a "
          "cidade em poucos dias.",
    "it": "I ribelli hanno preso lunedì la città di Kidal, secondo le autorità, dopo due giorni "
          "di combattimenti con le truppe del governo. L'esercito ha detto che riprenderà la "
          "città entro pochi giorni.",
    "nl": "De rebellen hebben maandag de stad Kidal ingenomen, zo zeiden functionarissen, na twee "
          "dagen van gevechten met de troepen van de regering. Het leger zei dat het de stad "
          "binnen enkele dagen zou heroveren.",
    "ru": "Повстанцы в понедельник захватили город Кидаль после двух дней боев с "
          "правительственными войсками, сообщили официальные лица.",
    "ar": "استولى المتمردون يوم الاثنين على مدينة كيدال بعد يومين من القتال مع القوات الحكومية، "
          "حسبما قال مسؤولون.",
    "zh": "叛军周一在与政府军激战两天后占领了基达尔镇，官员们表示。军队表示将在几天内夺回该镇。",
    "ja": "反政府勢力は月曜日、政府軍との二日間の戦闘の後、キダルの町を制圧したと当局者が明らか"
          "にした。軍は数日以内に町を奪還すると述べた。",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_guess_language(language: str) -> None:
    assert guess_language(SAMPLES[language]) == language


def test_short_or_odd_texts_are_not_judged() -> None:
    assert guess_language("Le ministre a critiqué l'armée.") is None
    assert guess_language("") is None
    assert guess_language("12 34 56 " * 30) is None
    assert is_english("Der Krieg") and not is_english(SAMPLES["de"])


def test_english_with_foreign_names_and_quotes_stays_english() -> None:
    text = (SAMPLES["en"] + ' The Front de Libération said "la guerre continue" in a statement '
            "read by Ahmed ben Salah at the Hotel de la Paix in the capital on Tuesday.")
    assert guess_language(text) == "en"


def test_scripts() -> None:
    assert script_language("Ж") == "ru"
    assert script_language("ب") == "ar"
    assert script_language("a") is None and script_language("é") is None


def test_read_inputs_reports_non_english_articles(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text("Rebels take Kidal\n\n" + SAMPLES["en"], encoding="utf-8")
    (tmp_path / "es.txt").write_text("Rebeldes toman Kidal\n\n" + SAMPLES["es"], encoding="utf-8")
    (tmp_path / "ru.txt").write_text(SAMPLES["ru"] * 2, encoding="utf-8")
    results = list(read_inputs([str(tmp_path)]))
    assert [r.doc_id for r in results if isinstance(r, Article)] == ["en"]
    assert {(e.doc_id, e.code, e.detail) for e in results if isinstance(e, InputError)} == {
        (str(tmp_path / "es.txt"), ErrorCode.E010_NOT_ENGLISH, "es"),  # the path, not the stem
        (str(tmp_path / "ru.txt"), ErrorCode.E010_NOT_ENGLISH, "ru")}
    unchecked = list(read_inputs([str(tmp_path)], check_language=False))
    assert all(isinstance(r, Article) for r in unchecked)
