"""The Vietnamese pages over real indexes: what they show is what the API answers, every
string from a document or a query is escaped, errors are Vietnamese pages with 4xx codes."""

from __future__ import annotations

import re

import lxml.html
import pytest

from search_service import create_app
from search_service.pages import PER_PAGE, marked


def page(client, url: str, status: int = 200, **params):
    response = client.get(url, query_string=params or None)
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True), lxml.html.fromstring(response.data)


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def api(client, path: str, **params) -> dict:
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def hit_ids(tree) -> list[str]:
    return [re.match(r"/van-ban/([^?]+)", a.get("href")).group(1)
            for a in tree.xpath('//li[@class="hit"]//h2/a')]


def test_home_is_an_accessible_vietnamese_search_box(sample_client):
    _, tree = page(sample_client, "/")
    assert tree.get("lang") == "vi"
    skip = tree.xpath('//a[@class="skip-link"]')[0]
    assert tree.xpath(f'//main[@id="{skip.get("href")[1:]}"]')
    form = tree.xpath('//form[@role="search"]')[0]
    assert form.get("action") == "/tim-kiem" and form.get("method") == "get"
    field = form.xpath('.//input[@name="q"]')[0]
    assert tree.xpath(f'//label[@for="{field.get("id")}"]')
    documents = api(sample_client, "/api/health")["documents"]
    assert f"{documents} văn bản" in texts(tree, '//p[@class="lead"]')[0]
    assert tree.xpath('//meta[@name="viewport"]')
    assert tree.xpath('//link[@rel="stylesheet"]/@href') == ["/static/tracuu.css"]


def test_results_are_the_api_results(sample_client):
    answer = api(sample_client, "/api/search", q="huyện", per_page=PER_PAGE)
    html, tree = page(sample_client, "/tim-kiem", q="huyện")
    assert hit_ids(tree) == [h["id"] for h in answer["hits"]]
    assert f"Tìm thấy {answer['total']} văn bản" in texts(tree, '//p[@class="summary"]')[0]
    assert texts(tree, '//li[@class="hit"]//h2') == [h["title"] for h in answer["hits"]]
    snippets = tree.xpath('//p[@class="snippet"]')
    assert len(snippets) == len(answer["hits"])
    marks = [m.text_content().lower() for s in snippets for m in s.xpath(".//mark")]
    assert marks and set(marks) == {"huyện"}
    # the metadata of a hit that has it, under Vietnamese labels
    dated = next(h for h in answer["hits"] if h["doc_number"] and h["date"])
    item = tree.xpath(f'//li[@class="hit"][.//a[starts-with(@href, "/van-ban/{dated["id"]}?")]]')[0]
    meta = dict(zip(texts(item, ".//dt"), texts(item, ".//dd"), strict=True))
    y, m, d = dated["date"].split("-")
    assert meta["Số ký hiệu"] == dated["doc_number"] and meta["Ngày"] == f"{d}/{m}/{y}"
    assert meta["Loại"] == dated["doc_type"] and meta["Cơ quan ban hành"] == dated["issuer"]
    assert 'value="huyện"' in html  # the box keeps the query


def test_facets_are_filter_links_with_the_api_counts(sample_client):
    facets = api(sample_client, "/api/search", q="huyện",
                 facets="type,issuer,category,year")["facets"]
    _, tree = page(sample_client, "/tim-kiem", q="huyện")
    for name, label in (("type", "Loại văn bản"), ("issuer", "Cơ quan ban hành"),
                        ("year", "Năm")):
        section = tree.xpath(f'//aside//section[@aria-labelledby="facet-{name}"]')[0]
        assert texts(section, ".//h3") == [label]
        links = section.xpath(".//a")
        shown = {a.xpath('.//span[@class="facet-value"]')[0].text:
                 int(a.xpath('.//span[@class="count"]')[0].text) for a in links}
        assert shown == dict(list(facets[name].items())[:8])
    # following a facet link filters the results as the API's filter does
    value = next(iter(facets["type"]))
    link = tree.xpath(f'//section[@aria-labelledby="facet-type"]//a[starts-with(., "{value}")]')[0]
    _, filtered = page(sample_client, link.get("href"))
    answer = api(sample_client, "/api/search", q="huyện", type=value, per_page=PER_PAGE)
    assert hit_ids(filtered) == [h["id"] for h in answer["hits"]]
    assert answer["total"] == facets["type"][value]
    assert all(t == value for t in texts(filtered, '//li[@class="hit"]//dt[.="Loại"]/../dd'))
    chip = texts(filtered, '//ul[@class="active-filters"]/li')[0]
    assert chip.startswith(f"Loại văn bản: {value}")
    # and its "×" drops the filter again
    remove = filtered.xpath('//ul[@class="active-filters"]/li[1]/a')[0].get("href")
    assert hit_ids(page(sample_client, remove)[1]) == hit_ids(tree)


def test_sort_links(sample_client):
    _, tree = page(sample_client, "/tim-kiem", q="huyện")
    sorts = {a.text_content(): a for a in tree.xpath('//nav[@class="sort"]//a')}
    assert set(sorts) == {"Liên quan nhất", "Mới nhất", "Cũ nhất"}
    assert sorts["Liên quan nhất"].get("aria-current") == "true"
    _, newest = page(sample_client, sorts["Mới nhất"].get("href"))
    answer = api(sample_client, "/api/search", q="huyện", sort="newest", per_page=PER_PAGE)
    assert hit_ids(newest) == [h["id"] for h in answer["hits"]]
    dates = [h["date"] for h in answer["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True) and len(dates) > 1


def test_pagination(sample_client):
    total = api(sample_client, "/api/search", q="huyện")["total"]
    last = -(-total // PER_PAGE)
    assert last >= 3
    _, first = page(sample_client, "/tim-kiem", q="huyện")
    nav = first.xpath('//nav[@aria-label="Phân trang"]')[0]
    assert nav.xpath('.//a[@aria-current="page"]')[0].text_content() == "1"
    assert not nav.xpath('.//a[@rel="prev"]')
    _, second = page(sample_client, nav.xpath('.//a[@rel="next"]')[0].get("href"))
    answer = api(sample_client, "/api/search", q="huyện", page=2, per_page=PER_PAGE)
    assert hit_ids(second) == [h["id"] for h in answer["hits"]]
    assert second.xpath('//ol[@class="hits"]')[0].get("start") == str(PER_PAGE + 1)
    _, final = page(sample_client, "/tim-kiem", q="huyện", page=last)
    assert not final.xpath('//a[@rel="next"]') and final.xpath('//a[@rel="prev"]')


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"q": "huyện", "page": "abc"}, 400, "Số trang không hợp lệ"),
        ({"q": "huyện", "page": "0"}, 400, "Số trang không hợp lệ"),
        ({"q": "huyện", "page": "999"}, 404, "Không có trang kết quả này"),
        ({"q": "huyện", "sort": "random"}, 400, "Cách sắp xếp không hợp lệ"),
        ({"q": "huyện", "year": "20x5"}, 400, "Năm phải gồm bốn chữ số"),
        ({"q": "huyện", "from": "01/02/2025"}, 400, "Ngày phải có dạng năm-tháng-ngày"),
        ({"q": "x" * 1001}, 400, "Từ khóa tìm kiếm quá dài"),
    ],
)
def test_bad_parameters_are_vietnamese_error_pages(sample_client, params, status, message):
    _, tree = page(sample_client, "/tim-kiem", status, **params)
    assert message in texts(tree, "//main//p")[0]
    assert f"(lỗi {status})" in texts(tree, "//h1")[0]
    # the same mistake at the API stays JSON
    if status == 400:
        response = sample_client.get("/api/search", query_string=params)
        assert response.status_code == 400 and "error" in response.get_json()


def test_unknown_pages_and_documents_are_vietnamese_404s(sample_client):
    _, tree = page(sample_client, "/van-ban/khong-co-van-ban-nay", 404)
    assert "Không tìm thấy văn bản này" in texts(tree, "//main//p")[0]
    _, tree = page(sample_client, "/khong-co-trang-nay", 404)
    assert texts(tree, "//h1")[0].startswith("Không tìm thấy")
    assert sample_client.get("/api/khong-co").is_json


def test_without_an_index_pages_say_so_with_a_503(tmp_path):
    client = create_app({"INDEX": str(tmp_path / "none"), "TESTING": True}).test_client()
    _, tree = page(client, "/", 503)
    assert "chưa có chỉ mục" in texts(tree, "//main//p")[0]
    assert client.get("/api/health").is_json


def test_empty_search_page_asks_for_words(sample_client):
    _, tree = page(sample_client, "/tim-kiem", q="  ")
    assert not tree.xpath('//li[@class="hit"]')
    assert texts(tree, "//h1") == ["Tìm kiếm văn bản"]


def test_listing_by_filter_alone(sample_client):
    answer = api(sample_client, "/api/search", type="Quyết định", per_page=PER_PAGE)
    _, tree = page(sample_client, "/tim-kiem", type="Quyết định")
    assert hit_ids(tree) == [h["id"] for h in answer["hits"]] and answer["total"] > 0
    assert texts(tree, "//h1") == ["Danh sách văn bản"]


def cited_and_citing(client) -> tuple[str, dict]:
    """A document of the index that cites an indexed one and is cited, found at run time."""
    for year in ("2025", "2024"):
        for hit in api(client, "/api/search", year=year, per_page=100)["hits"]:
            citations = api(client, f"/api/documents/{hit['id']}/citations")
            if citations["cites"] and citations["cited_by"]:
                return hit["id"], citations
    raise AssertionError("no document both cites and is cited")


def test_document_page(sample_client):
    doc_id, citations = cited_and_citing(sample_client)
    doc = api(sample_client, f"/api/documents/{doc_id}")
    similar = api(sample_client, f"/api/documents/{doc_id}/similar")["hits"]
    _, tree = page(sample_client, f"/van-ban/{doc_id}")
    assert texts(tree, "//h1") == [" ".join(doc["title"].split())]
    rows = dict(zip(texts(tree, '//table[@class="doc-meta"]//th'),
                    texts(tree, '//table[@class="doc-meta"]//td'), strict=True))
    assert rows["Số ký hiệu"] == doc["doc_number"] and rows["Loại văn bản"] == doc["doc_type"]
    assert rows["Cơ quan ban hành"] == doc["issuer"]
    body = tree.xpath('//div[@class="doc-text"]')[0].text_content()
    assert body == doc["text"]  # all of it, line breaks kept
    assert not tree.xpath("//mark")  # no search, nothing marked

    def links(title: str) -> list[str]:
        return [a.get("href") for a in tree.xpath(f'//section[h2="{title}"]//a')]

    assert links("Văn bản liên quan") == [f"/van-ban/{h['id']}" for h in similar]
    assert links("Văn bản được dẫn chiếu") == [f"/van-ban/{c['id']}" for c in citations["cites"]]
    assert links("Văn bản dẫn chiếu đến văn bản này") == [
        f"/van-ban/{c['id']}" for c in citations["cited_by"]]
    for number in citations["not_indexed"]:
        assert any(t.startswith(number) for t in texts(tree, '//section[@class="cites"]//li'))


def test_document_reached_from_a_search_marks_the_query(sample_client):
    hit = api(sample_client, "/api/search", q="huyện")["hits"][0]
    _, tree = page(sample_client, f"/van-ban/{hit['id']}", q="huyện")
    marks = tree.xpath('//div[@class="doc-text"]//mark')
    assert marks and {m.text_content().lower() for m in marks} == {"huyện"}
    count = texts(tree, '//p[@class="match-count"]')[0]
    assert count.startswith(f"{len(marks)} chỗ khớp với «huyện»")
    back = tree.xpath('//p[@class="back"]/a')[0].get("href")
    assert hit_ids(page(sample_client, back)[1])[0] == hit["id"]


# Escaping: a document or a query full of markup shows as text.

LEAKS = ("<script>window", "<img src", "<b>", "javascript:", "onerror=\"window")


def assert_no_markup_leaks(html: str) -> None:
    for leak in LEAKS:
        assert leak not in html, leak


def test_markup_in_documents_is_shown_as_text(hostile_index):
    client = create_app({"INDEX": str(hostile_index), "TESTING": True}).test_client()
    html, tree = page(client, "/tim-kiem", q="lịch tiếp dân")
    assert_no_markup_leaks(html)
    titles = texts(tree, '//li[@class="hit"]//h2')
    assert "Thông báo <script>window.__pwned = 1</script> lịch tiếp dân" in titles
    snippet = next(s for s in tree.xpath('//p[@class="snippet"]') if "img" in s.text_content())
    assert '<img src=x onerror="window.__pwned = 2">' in snippet.text_content()
    assert not tree.xpath("//img") and not tree.xpath("//script") and not tree.xpath("//b")
    html, tree = page(client, "/van-ban/tb-the-script", q="<script> tiếp dân")
    assert_no_markup_leaks(html)
    assert not tree.xpath("//script") and not tree.xpath("//img")
    assert texts(tree, "//h1")[0] == "Thông báo <script>window.__pwned = 1</script> lịch tiếp dân"
    assert tree.xpath("//h1//mark")  # marked, and still text around the marks
    issuer = texts(tree, '//table[@class="doc-meta"]//td')[2]
    assert issuer.startswith("UBND xã <b>") and issuer.endswith("Nghiệm</b>")
    assert not any(h.startswith("javascript") for h in tree.xpath("//a/@href"))


@pytest.mark.parametrize("q", ['<script>alert("q")</script>', '"><img src=x onerror=alert(1)>',
                               "</title><b>Thử</b>", "&lt;script&gt;"])
def test_markup_in_a_query_is_shown_as_text(hostile_index, q):
    client = create_app({"INDEX": str(hostile_index), "TESTING": True}).test_client()
    for url, extra, status in (("/tim-kiem", {}, 200), ("/van-ban/kh-tiep-dan", {}, 200),
                               ("/tim-kiem", {"page": "x"}, 400)):
        html, tree = page(client, url, status, q=q, **extra)
        assert not tree.xpath("//script") and not tree.xpath("//img") and not tree.xpath("//b")
        assert "<script>alert" not in html and "<img src=x" not in html
        if status == 200 and url == "/tim-kiem":
            assert texts(tree, "//h1") == [f"Kết quả tìm kiếm cho «{q}»"]
            assert tree.xpath('//input[@name="q"]')[0].get("value") == q


@pytest.mark.parametrize(
    ("fragment", "html"),
    [
        ("a <mark>b</mark> &amp; c", "a <mark>b</mark> &amp; c"),
        ("&lt;script&gt;x&lt;/script&gt; <mark>y</mark>",
         "&lt;script&gt;x&lt;/script&gt; <mark>y</mark>"),
        # a raw tag (never produced by the API) is escaped all the same
        ("<script>x</script><mark>y</mark>", "&lt;script&gt;x&lt;/script&gt;<mark>y</mark>"),
        ('<mark onclick="x">y</mark>', "&lt;mark onclick=&#34;x&#34;&gt;y</mark>"),
        ("&amp;lt;mark&amp;gt;", "&amp;lt;mark&amp;gt;"),
        ("nghị <b>quyết</b>", "nghị <b>quyết</b>"),
        (None, ""),
    ],
)
def test_marked_lets_only_bare_emphasis_tags_through(fragment, html):
    assert str(marked(fragment)) == html


def test_widget_and_demo_are_served(sample_client):
    with sample_client.get("/static/tracuu-widget.js") as script:
        assert script.status_code == 200 and script.mimetype == "text/javascript"
        assert b'role", "combobox"' in script.data
    _, tree = page(sample_client, "/widget-demo")
    assert tree.xpath('//input[@data-tracuu]')
    assert tree.xpath('//script/@src') == ["/static/tracuu-widget.js"]
