package org.arachne.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The generated book site, in the shape of {@code shared/bench/gen-site.py}: per host an index
 * page, book pages that list 10–14 items each, robots.txt, a sitemap and a disallowed private
 * section, plus the sitemaps of {@link SitemapFiles}. Every page is rendered on request from the
 * seed, so equal arguments give equal bytes.
 */
final class BookSite {
    /** Page {@code j} always lists pages {@code 5j+1 .. 5j+5}, so all are reachable from "/". */
    static final int BRANCH = 5;

    /** Per host: {@code /private/account.html} and {@code /private/orders-1..5.html}. */
    static final int PRIVATE_PAGES = 6;

    static final String HTML = "text/html; charset=utf-8";

    private static final Pattern BOOK_PATH = Pattern.compile("/catalogue/book-(\\d{5})\\.html");
    private static final Pattern ORDERS_PATH = Pattern.compile("/private/orders-(\\d)\\.html");

    private static final String[] WORDS =
            ("the a of and to in is was for on with as by at from his her their this that which"
                            + " book story novel author reader chapter page history journey secret"
                            + " garden city river mountain winter summer night light shadow voice"
                            + " letter house family war peace love memory dream ocean island kingdom"
                            + " empire science nature art music poetry life death world time year day"
                            + " morning evening stranger friend king queen soldier doctor teacher"
                            + " old new last first lost hidden silent broken golden dark bright"
                            + " discovers explores remembers finds loses returns writes reads travels"
                            + " slowly suddenly quietly finally always never often rarely")
                    .split(" ");
    private static final String[] ZH = {
        "这是一本关于记忆与时间的小说。",
        "作者用细腻的笔触描绘了一个家族三代人的命运。",
        "故事发生在江南的一座小城，",
        "河流、石桥与老房子构成了主人公童年的全部世界。",
        "读者评论：情节紧凑，人物鲜明，值得反复阅读。",
        "本书曾获得多项文学奖项，",
        "并被翻译成二十多种语言。",
        "价格实惠，包装完好，物流很快。",
        "第一章讲述了一个陌生人来到村庄的故事。",
        "书中关于科学与自然的讨论令人深思。"
    };
    private static final String[] ZH_TITLES = {
        "三体", "活着", "围城", "红楼梦", "边城", "平凡的世界", "白鹿原", "骆驼祥子", "呐喊", "倾城之恋", "长恨歌", "城南旧事", "繁花",
        "额尔古纳河右岸", "文化苦旅"
    };
    private static final String[] ADJ = {
        "Silent",
        "Golden",
        "Hidden",
        "Broken",
        "Last",
        "Distant",
        "Forgotten",
        "Secret",
        "Little",
        "Wild",
        "Quiet",
        "Ancient",
        "Strange",
        "Bright",
        "Dark",
        "Final",
        "Lost",
        "Winter",
        "Summer",
        "Crimson",
        "Velvet",
        "Paper",
        "Glass",
        "Iron",
        "Salt"
    };
    private static final String[] NOUN = {
        "Garden", "River", "Kingdom", "Letter", "House", "Island", "Empire", "Journey", "Voice",
        "Shadow", "Mountain", "City", "Ocean", "Orchard", "Harbor", "Library", "Lantern", "Map",
        "Clock", "Bridge", "Forest", "Station", "Mirror", "Compass", "Archive"
    };
    private static final String[] EXTRA = {
        "",
        "",
        "",
        "",
        ": A Novel",
        " (Vol. 2)",
        " & Other Stories",
        " — Revised Edition",
        ": Café Stories",
        " and the Sea",
        "'s Return",
        " (Naïve Edition)"
    };
    private static final String[] CATEGORIES = {
        "Fiction",
        "Mystery",
        "History",
        "Science",
        "Poetry",
        "Travel",
        "Romance",
        "Fantasy",
        "Philosophy",
        "Classics",
        "小说",
        "历史"
    };
    private static final String[] STOCK = {
        "In stock", "In stock", "In stock", "Only 2 left", "Out of stock"
    };
    private static final String[] RATINGS = {"One", "Two", "Three", "Four", "Five"};
    private static final int POOL_SIZE = 600;

    /** One book: the page it has and the item it appears as elsewhere. */
    record Book(
            String title,
            String shortTitle,
            String price,
            String category,
            String upc,
            String stock,
            String rating) {}

    /** A link to page {@code page} of host {@code host}. */
    record PageRef(int host, int page) {}

    /** One item as a crawler should extract it. */
    record Item(String title, String price, String link) {}

    /** A served body with its content type and, when it is compressed, its content encoding. */
    record Resource(String contentType, @Nullable String contentEncoding, byte[] body) {
        Resource(String contentType, byte[] body) {
            this(contentType, null, body);
        }
    }

    /** What page {@code j} links to, and its random stream for the rest of the page. */
    private record Plan(List<Integer> targets, List<PageRef> cross, SplittableRandom rng) {}

    private final List<String> bases;
    private final int pagesPerHost;
    private final long seed;
    private final String[] pool;
    private final SitemapFiles sitemapFiles;

    /**
     * @param bases one base URL per host without trailing slash, e.g. {@code http://127.0.0.11:80}
     */
    BookSite(List<String> bases, int pagesPerHost, long seed) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("hosts: at least one");
        }
        if (pagesPerHost < 2) {
            throw new IllegalArgumentException("pagesPerHost: at least 2, got " + pagesPerHost);
        }
        this.bases = List.copyOf(bases);
        this.pagesPerHost = pagesPerHost;
        this.seed = seed;
        this.pool = paragraphPool(seed);
        this.sitemapFiles = new SitemapFiles(this);
    }

    int hosts() {
        return bases.size();
    }

    int pagesPerHost() {
        return pagesPerHost;
    }

    static String pagePath(int j) {
        return j == 0 ? "/" : String.format(Locale.ROOT, "/catalogue/book-%05d.html", j);
    }

    /**
     * The href from page {@code from} to page {@code to} of the same host, as the page writes it.
     */
    static String relHref(int from, int to) {
        if (to == 0) {
            return from == 0 ? "./" : "/";
        }
        String name = String.format(Locale.ROOT, "book-%05d.html", to);
        return from == 0 ? "catalogue/" + name : name;
    }

    /** The base URL of a host, without trailing slash. */
    String base(int host) {
        return bases.get(host);
    }

    String url(int host, int j) {
        return bases.get(host) + pagePath(j);
    }

    Book book(int host, int j) {
        SplittableRandom r = rng("book", host, j);
        String t;
        if (r.nextDouble() < 0.15) {
            String[] suffix = {"（第" + randint(r, 2, 9) + "版）", "：典藏本", "", "·续集"};
            t = pick(r, ZH_TITLES) + " " + pick(r, suffix);
        } else {
            t = "The " + pick(r, ADJ) + " " + pick(r, NOUN) + pick(r, EXTRA);
        }
        String title = t.strip() + " #" + (host + 1) + "-" + j;
        String shortTitle = title.length() <= 28 ? title : title.substring(0, 26) + "...";
        String price = String.format(Locale.ROOT, "£%d.%02d", randint(r, 5, 99), randint(r, 0, 99));
        return new Book(
                title,
                shortTitle,
                price,
                pick(r, CATEGORIES),
                String.format(Locale.ROOT, "%016x", r.nextLong()),
                pick(r, STOCK),
                pick(r, RATINGS));
    }

    /** The items page {@code j} of {@code host} lists, in page order. */
    List<Item> items(int host, int j) {
        List<Item> items = new ArrayList<>();
        for (int c : plan(host, j).targets()) {
            Book b = book(host, c);
            items.add(new Item(b.title(), b.price(), url(host, c)));
        }
        return items;
    }

    /** The number of the book page at {@code path} (1 or more), or -1 when it is none. */
    int bookPageNumber(String path) {
        Matcher book = BOOK_PATH.matcher(path);
        if (!book.matches()) {
            return -1;
        }
        int j = Integer.parseInt(book.group(1));
        return j >= 1 && j < pagesPerHost ? j : -1;
    }

    /** The body served at {@code path} on host {@code host}, or null for a 404. */
    @Nullable Resource resolve(int host, String path) {
        if (path.equals("/")) {
            return html(page(host, 0));
        }
        if (BOOK_PATH.matcher(path).matches()) {
            int j = bookPageNumber(path);
            return j >= 1 ? html(page(host, j)) : null;
        }
        if (path.equals("/private/account.html")) {
            return html(privatePage("account.html"));
        }
        Matcher orders = ORDERS_PATH.matcher(path);
        if (orders.matches()) {
            int k = Integer.parseInt(orders.group(1));
            return k >= 1 && k < PRIVATE_PAGES ? html(privatePage("orders-" + k + ".html")) : null;
        }
        if (path.equals("/robots.txt")) {
            return new Resource("text/plain; charset=utf-8", utf8(robotsTxt(host)));
        }
        if (path.equals("/sitemap.xml")) {
            return new Resource("application/xml; charset=utf-8", utf8(sitemapXml(host)));
        }
        return sitemapFiles.resolve(host, path);
    }

    String robotsTxt(int host) {
        return "# Books to Scrape "
                + (host + 1)
                + "\nUser-agent: *\nDisallow: /private/\nAllow: /\n\nSitemap: "
                + bases.get(host)
                + "/sitemap.xml\n";
    }

    private String sitemapXml(int host) {
        StringBuilder sb =
                new StringBuilder(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (int j = 0; j < pagesPerHost; j++) {
            sb.append("<url><loc>").append(url(host, j)).append("</loc></url>\n");
        }
        return sb.append("</urlset>\n").toString();
    }

    private static String privatePage(String name) {
        StringBuilder links = new StringBuilder();
        for (int m = 1; m < PRIVATE_PAGES; m++) {
            links.append("<li><a href=\"orders-")
                    .append(m)
                    .append(".html\">Order ")
                    .append(m)
                    .append("</a></li>\n");
        }
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Private "
                + name
                + "</title></head>\n<body><h1>Private area</h1><p>Crawlers that obey robots.txt never"
                + " see this page.</p>\n<article class=\"product_pod\"><h3><a href=\"/\" title=\"PRIVATE"
                + " ITEM\">PRIVATE ITEM</a></h3><p class=\"price_color\">£0.00</p></article>\n<ul>\n"
                + links
                + "</ul></body></html>\n";
    }

    private Plan plan(int host, int j) {
        SplittableRandom r = rng("page", host, j);
        int k = j == 0 ? 20 : randint(r, 10, 14);
        List<Integer> targets = new ArrayList<>();
        for (int c = j * BRANCH + 1; c <= j * BRANCH + BRANCH && c < pagesPerHost; c++) {
            targets.add(c);
        }
        Set<Integer> seen = new HashSet<>(targets);
        seen.add(j);
        for (int tries = 0;
                targets.size() < k && tries < 200 && seen.size() < pagesPerHost;
                tries++) {
            int c = 1 + r.nextInt(pagesPerHost - 1);
            if (seen.add(c)) {
                targets.add(c);
            }
        }
        for (int i = targets.size() - 1; i > 0; i--) {
            int o = r.nextInt(i + 1);
            targets.set(o, targets.set(i, targets.get(o)));
        }
        List<PageRef> cross = new ArrayList<>();
        if (hosts() > 1) {
            for (int i = 0; i < 2; i++) {
                int oh = r.nextInt(hosts() - 1);
                oh = oh >= host ? oh + 1 : oh;
                cross.add(new PageRef(oh, r.nextInt(pagesPerHost)));
            }
        }
        return new Plan(targets, cross, r);
    }

    /** Renders page {@code j} of {@code host}: about 15–25 KB of UTF-8 HTML. */
    String page(int host, int j) {
        Plan plan = plan(host, j);
        SplittableRandom r = plan.rng();
        Book me = book(host, j);
        int targetSize = randint(r, 15000, 25000);
        String home = escape(relHref(j, 0), true);
        String title =
                j == 0
                        ? "All products | Books to Scrape " + (host + 1)
                        : me.title() + " | Books to Scrape " + (host + 1);
        StringBuilder sb = new StringBuilder(targetSize + 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en-us\" class=\"no-js\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n<title>")
                .append(escape(title, true))
                .append("</title>\n<meta name=\"viewport\" content=\"width=device-width\">\n")
                .append("<meta name=\"description\" content=\"")
                .append(escape(me.title(), true))
                .append("\">\n<meta name=\"created\" content=\"2024-01-")
                .append(String.format(Locale.ROOT, "%02d", 1 + j % 28))
                .append("\">\n<link rel=\"canonical\" href=\"")
                .append(url(host, j))
                .append("\">\n</head>\n<body id=\"default\" class=\"default\">\n");
        sb.append("<header class=\"header container-fluid\">\n<div class=\"page_inner\">\n")
                .append("<div class=\"row\">\n<div class=\"col-sm-8 h1\"><a href=\"")
                .append(home)
                .append("\">Books to Scrape ")
                .append(host + 1)
                .append("</a><small> We love being scraped! 我们喜欢被爬取！</small></div>\n")
                .append("</div>\n</div>\n</header>\n<nav class=\"side_categories\">")
                .append("<ul class=\"nav nav-list\">\n<li><a href=\"")
                .append(home)
                .append("\">Home</a></li>\n");
        for (int c = 1; c < Math.min(5, pagesPerHost); c++) {
            sb.append("<li><a href=\"")
                    .append(escape(relHref(j, c), true))
                    .append("\">")
                    .append(escape(book(host, c).shortTitle(), false))
                    .append("</a></li>\n");
        }
        sb.append("</ul></nav>\n<ul class=\"breadcrumb\">\n<li><a href=\"")
                .append(home)
                .append("\">Home</a></li>\n<li>")
                .append(escape(me.category(), true))
                .append("</li>\n<li class=\"active\">")
                .append(escape(me.shortTitle(), false))
                .append("</li>\n</ul>\n");
        if (j == 0) {
            sb.append("<div class=\"page-header action\"><h1>All products</h1></div>\n")
                    .append("<form class=\"form-horizontal\"><strong>")
                    .append(pagesPerHost - 1)
                    .append("</strong> results - showing <strong>1</strong> to <strong>")
                    .append(plan.targets().size())
                    .append("</strong>.</form>\n");
        } else {
            appendProduct(sb, me, randint(r, 0, 40));
        }
        sb.append("<section>\n<div class=\"alert alert-warning\" role=\"alert\"><strong>Warning!")
                .append("</strong> This is a demo website for web scraping purposes.</div>\n<h2>")
                .append(j == 0 ? "Products" : "Customers who bought this also bought")
                .append("</h2>\n<ol class=\"row\">\n");
        for (int c : plan.targets()) {
            appendItem(sb, book(host, c), escape(relHref(j, c), true));
        }
        sb.append("</ol>\n</section>\n<ul class=\"pager\">\n");
        if (j > 0) {
            sb.append("<li class=\"previous\"><a href=\"")
                    .append(escape(relHref(j, j - 1), true))
                    .append("\">previous</a></li>\n");
        }
        if (j + 1 < pagesPerHost) {
            sb.append("<li class=\"next\"><a href=\"")
                    .append(escape(relHref(j, j + 1), true))
                    .append("\">next</a></li>\n");
        }
        sb.append("</ul>\n");
        if (!plan.cross().isEmpty()) {
            sb.append("<aside class=\"partners\"><h3>From our partner stores</h3>\n<ul>\n");
            for (PageRef o : plan.cross()) {
                sb.append("<li><a href=\"")
                        .append(url(o.host(), o.page()))
                        .append("\">")
                        .append(escape(book(o.host(), o.page()).shortTitle(), false))
                        .append("</a> at store ")
                        .append(o.host() + 1)
                        .append("</li>\n");
            }
            sb.append("</ul>\n</aside>\n");
        }
        String footer =
                "<footer class=\"footer container-fluid\">\n<p><a href=\"/private/account.html\">My"
                        + " account</a></p>\n<p>© 2024 Books to Scrape "
                        + (host + 1)
                        + " · 版权所有 · Page "
                        + (j + 1)
                        + " of "
                        + pagesPerHost
                        + "</p>\n</footer>\n</body>\n</html>\n";
        int budget = targetSize - utf8Length(sb) - utf8Length(footer) - 80;
        sb.append("<div class=\"description\">\n");
        for (int n = 0; budget > 0; n++) {
            String p = pool[r.nextInt(pool.length)];
            String frag =
                    n % 4 == 3
                            ? "<div class=\"review\"><h4>Review by reader"
                                    + randint(r, 1, 9999)
                                    + "</h4><p>"
                                    + p
                                    + "</p></div>\n"
                            : "<p>" + p + "</p>\n";
            sb.append(frag);
            budget -= utf8Length(frag);
        }
        return sb.append("</div>\n").append(footer).toString();
    }

    private static void appendProduct(StringBuilder sb, Book me, int reviews) {
        sb.append("<article class=\"product_page\">\n<div class=\"row\">\n")
                .append("<div class=\"col-sm-6 product_main\">\n<h1>")
                .append(escape(me.title(), false))
                .append("</h1>\n<p class=\"price_color main\">")
                .append(me.price())
                .append("</p>\n<p class=\"instock availability\">")
                .append(me.stock())
                .append("</p>\n<p class=\"star-rating ")
                .append(me.rating())
                .append("\">Rating</p>\n</div>\n</div>\n")
                .append("<div id=\"product_description\" class=\"sub-header\">")
                .append("<h2>Product Description</h2></div>\n")
                .append("<table class=\"table table-striped\">\n<tr><th>UPC</th><td>")
                .append(me.upc())
                .append("</td></tr>\n<tr><th>Product Type</th><td>Books</td></tr>\n")
                .append("<tr><th>Category</th><td>")
                .append(escape(me.category(), true))
                .append("</td></tr>\n<tr><th>Price (excl. tax)</th><td>")
                .append(me.price())
                .append("</td></tr>\n<tr><th>Tax</th><td>£0.00</td></tr>\n")
                .append("<tr><th>Availability</th><td>")
                .append(me.stock())
                .append("</td></tr>\n<tr><th>Number of reviews</th><td>")
                .append(reviews)
                .append("</td></tr>\n</table>\n</article>\n");
    }

    private static void appendItem(StringBuilder sb, Book b, String href) {
        sb.append("<li class=\"col-xs-6 col-sm-4 col-md-3 col-lg-3\">\n")
                .append(
                        "<article class=\"product_pod\">\n<div class=\"image_container\"><a href=\"")
                .append(href)
                .append("\" class=\"thumb\">[cover ")
                .append(b.upc(), 0, 6)
                .append("]</a></div>\n<p class=\"star-rating ")
                .append(b.rating())
                .append("\">Rated ")
                .append(b.rating())
                .append("</p>\n<h3><a href=\"")
                .append(href)
                .append("\" title=\"")
                .append(escape(b.title(), true))
                .append("\">")
                .append(escape(b.shortTitle(), false))
                .append("</a></h3>\n<div class=\"product_price\">\n<p class=\"price_color\">")
                .append(b.price())
                .append("</p>\n<p class=\"instock availability\">")
                .append(b.stock())
                .append("</p>\n</div>\n</article>\n</li>\n");
    }

    private static String[] paragraphPool(long seed) {
        SplittableRandom r = rng(seed, "pool", 0, 0);
        String[] pool = new String[POOL_SIZE];
        for (int i = 0; i < POOL_SIZE; i++) {
            StringBuilder text = new StringBuilder();
            if (r.nextDouble() < 0.2) {
                for (int n = randint(r, 3, 8); n > 0; n--) {
                    text.append(pick(r, ZH));
                }
            } else {
                for (int s = randint(r, 3, 7); s > 0; s--) {
                    StringBuilder sentence = new StringBuilder();
                    for (int w = randint(r, 8, 20); w > 0; w--) {
                        sentence.append(sentence.isEmpty() ? "" : " ").append(pick(r, WORDS));
                    }
                    sentence.setCharAt(0, Character.toUpperCase(sentence.charAt(0)));
                    text.append(text.isEmpty() ? "" : " ")
                            .append(sentence)
                            .append(pick(r, new String[] {".", ".", ".", "!", "?"}));
                }
            }
            pool[i] = escape(text.toString(), false);
        }
        return pool;
    }

    /** HTML-escapes like Python's {@code html.escape}: {@code & < >}, and quotes when asked. */
    static String escape(String s, boolean quote) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append(quote ? "&quot;" : "\"");
                case '\'' -> sb.append(quote ? "&#x27;" : "'");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private SplittableRandom rng(String kind, int host, int j) {
        return rng(seed, kind, host, j);
    }

    private static SplittableRandom rng(long seed, String kind, int host, int j) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h + kind.hashCode());
        h = mix(h + host);
        h = mix(h + j);
        return new SplittableRandom(h);
    }

    /** The murmur3 64-bit finaliser: spreads nearby keys over the whole seed space. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static int randint(SplittableRandom r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    private static String pick(SplittableRandom r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    private static Resource html(String page) {
        return new Resource(HTML, utf8(page));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }
}
