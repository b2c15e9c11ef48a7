package org.arachne.sandbox.route;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code /top250?start=S} (S in 0..249, default 0): a Douban Top250-like list, 25 entries per page
 * as {@code <div class="pl2"><a href="http://HOST/subject/ID/" title="T">T</a></div>} with
 * pagination links, 250 entries over ten pages. Like the real site it answers 418 to clients whose
 * User-Agent lacks {@code Mozilla/}. HOST is the request's Host header.
 */
public final class Top250Route implements Route {
    /** Entries in the whole list. */
    public static final int TOTAL = 250;

    /** Entries per page. */
    public static final int PAGE_SIZE = 25;

    /** The subject id of entry 0; entry i has id {@code FIRST_ID + i}. */
    public static final int FIRST_ID = 1_292_000;

    private static final String[] TITLES = {
        "肖申克的救赎",
        "霸王别姬",
        "阿甘正传",
        "泰坦尼克号",
        "千与千寻",
        "这个杀手不太冷 Léon & Mathilda",
        "美丽人生",
        "星际穿越",
        "盗梦空间",
        "楚门的世界",
        "辛德勒的名单",
        "忠犬八公的故事",
        "海上钢琴师",
        "三傻大闹宝莱坞",
        "放牛班的春天",
        "机器人总动员",
        "疯狂动物城",
        "无间道",
        "控方证人",
        "大话西游之大圣娶亲",
        "熔炉",
        "教父",
        "触不可及",
        "当幸福来敲门",
        "寻梦环游记"
    };

    /** One list entry as a scraper should extract it. */
    public record Entry(String title, String link) {}

    /**
     * The title of entry {@code i} (0-based): a film name, then its edition from the second page.
     */
    public static String title(int i) {
        String base = TITLES[i % TITLES.length];
        int edition = i / TITLES.length;
        return edition == 0 ? base : base + "（第" + (edition + 1) + "部）";
    }

    /**
     * The 250 (title, link) pairs the list shows to a request with {@code Host: hostAndPort}, in
     * list order, e.g. {@code expected("127.0.0.11:8080")}.
     */
    public static List<Entry> expected(String hostAndPort) {
        List<Entry> entries = new ArrayList<>(TOTAL);
        for (int i = 0; i < TOTAL; i++) {
            entries.add(new Entry(title(i), link(hostAndPort, i)));
        }
        return entries;
    }

    private static String link(String hostAndPort, int i) {
        return "http://" + hostAndPort + "/subject/" + (FIRST_ID + i) + "/";
    }

    @Override
    public String path() {
        return "/top250";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (refuseRobot(exchange)) {
            return;
        }
        int start = Query.of(exchange).intValue("start", 0, 0, TOTAL - 1);
        String host = hostOf(exchange);
        StringBuilder sb = new StringBuilder("<ol class=\"grid_view\">\n");
        for (int i = start; i < Math.min(start + PAGE_SIZE, TOTAL); i++) {
            String t = escape(title(i));
            sb.append("<li><div class=\"item\"><div class=\"pic\"><em>")
                    .append(i + 1)
                    .append("</em></div><div class=\"info\"><div class=\"hd\">\n")
                    .append("<div class=\"pl2\"><a href=\"")
                    .append(link(host, i))
                    .append("\" title=\"")
                    .append(t)
                    .append("\">")
                    .append(t)
                    .append("</a></div>\n</div></div></div></li>\n");
        }
        sb.append("</ol>\n<div class=\"paginator\">\n");
        if (start > 0) {
            sb.append("<span class=\"prev\"><a href=\"?start=")
                    .append(Math.max(0, start - PAGE_SIZE))
                    .append("&amp;filter=\">&lt;前页</a></span>\n");
        }
        for (int p = 0; p < TOTAL; p += PAGE_SIZE) {
            if (p == start) {
                sb.append("<span class=\"thispage\">")
                        .append(p / PAGE_SIZE + 1)
                        .append("</span>\n");
            } else {
                sb.append("<a href=\"?start=")
                        .append(p)
                        .append("&amp;filter=\">")
                        .append(p / PAGE_SIZE + 1)
                        .append("</a>\n");
            }
        }
        if (start + PAGE_SIZE < TOTAL) {
            sb.append("<span class=\"next\"><a href=\"?start=")
                    .append(start + PAGE_SIZE)
                    .append("&amp;filter=\">后页&gt;</a></span>\n");
        }
        sb.append("</div>\n");
        Replies.html(exchange, 200, Replies.simplePage("豆瓣电影 Top 250", sb.toString()));
    }

    /** Answers 418 and returns true when the User-Agent does not look like a browser. */
    static boolean refuseRobot(HttpExchange exchange) throws IOException {
        @Nullable String ua = exchange.getRequestHeaders().getFirst("User-Agent");
        if (ua != null && ua.contains("Mozilla/")) {
            return false;
        }
        Replies.send(
                exchange,
                418,
                "text/plain; charset=utf-8",
                "I'm a teapot\n".getBytes(StandardCharsets.US_ASCII));
        return true;
    }

    /** The request's Host header, or the local address and port when it has none. */
    static String hostOf(HttpExchange exchange) {
        @Nullable String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null && !host.isBlank()) {
            return host;
        }
        return exchange.getLocalAddress().getAddress().getHostAddress()
                + ":"
                + exchange.getLocalAddress().getPort();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }
}
