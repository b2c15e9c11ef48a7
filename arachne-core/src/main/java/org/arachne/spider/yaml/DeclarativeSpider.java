package org.arachne.spider.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arachne.http.Request;
import org.arachne.http.Response;
import org.arachne.item.Item;
import org.arachne.select.LinkExtractor;
import org.arachne.spider.Callback;
import org.arachne.spider.Login;
import org.arachne.spider.Output;
import org.arachne.spider.Sitemaps;
import org.arachne.spider.Spider;
import org.jspecify.annotations.Nullable;

/**
 * A spider that runs a {@link SpiderDefinition}, usually read from a YAML file by {@link
 * YamlSpiders#load}, as Scrapy's {@code CrawlSpider} does: its {@code parse} (start URLs, pages
 * reached through a rule without a callback) extracts the items of every item block that no rule
 * names, then follows the links its rules find. A rule with a callback sends its pages to that
 * named block alone (callback {@code NAME}; {@code parse:NAME} when the rule also follows their
 * links). Pages listed in its sitemaps go to {@code parse} or, through {@code sitemap_rules}, to a
 * named item block: a callback that extracts that block's items and follows no links. Blocks and
 * rules with {@code selector: jmespath} read the page as JSON ({@link Response#json()}); a rule's
 * {@code carry} fields travel to the next page in its request's meta.
 *
 * <p>Thread-safety: immutable; callbacks may run on many threads at once. Items dropped for a
 * missing required field are counted in the crawl's stats as {@code spider/}{@value
 * #REQUIRED_MISSING}.
 */
public final class DeclarativeSpider implements Spider {
    private final SpiderDefinition definition;

    /**
     * The item blocks of the pages {@code parse} and {@code parseLeaf} get: those no rule names.
     */
    private final List<ItemExtractor> unclaimed = new ArrayList<>();

    private final List<LinkRule> rules = new ArrayList<>();

    /** Callbacks by name: every named block's, and {@code parse:NAME} of those rules follow. */
    private final Map<String, Callback> blockCallbacks = new HashMap<>();

    /** The named item blocks, by name. */
    private final Map<String, ItemExtractor> namedBlocks = new HashMap<>();

    /** Stats key (under {@code spider/}) of items dropped because a required field was empty. */
    public static final String REQUIRED_MISSING = "item_dropped/required_field_missing";

    /**
     * Stats key prefix (under {@code spider/}, then the field's name) of values whose text was not
     * of the field's type ({@code type: int} on "n/a"): the field is empty then.
     */
    public static final String CONVERSION_FAILED = "field_conversion_failed/";

    /**
     * Stats key (under {@code spider/}) of pages that an item block or rule with {@code selector:
     * jmespath} read but that are no JSON (an HTML page, a truncated body): they give it nothing.
     * Counted once per page.
     */
    public static final String NOT_JSON = "response_not_json";

    /**
     * Stats key prefix (under {@code spider/}, then the field's name, {@code each} or {@code
     * links}) of JMESPath expressions that failed on a page's JSON (a function given a value of a
     * type it does not take): they find nothing there.
     */
    public static final String JMESPATH_FAILED = "jmespath_failed/";

    /**
     * @throws IllegalArgumentException if a selector or regex of the definition is invalid (a
     *     definition from {@link YamlSpiders#parse} has been checked already)
     */
    public DeclarativeSpider(SpiderDefinition definition) {
        this.definition = definition;
        Set<String> claimed = new HashSet<>();
        for (RuleDefinition rule : definition.rules()) {
            if (rule.callback() != null) {
                claimed.add(rule.callback());
            }
        }
        for (ItemDefinition item : definition.items()) {
            ItemExtractor extractor = new ItemExtractor(item);
            if (item.name() == null || !claimed.contains(item.name())) {
                unclaimed.add(extractor);
            }
            if (item.name() != null) {
                namedBlocks.put(item.name(), extractor);
                List<ItemExtractor> block = List.of(extractor);
                blockCallbacks.put(
                        item.name(), (response, out) -> run(response, out, block, false));
                blockCallbacks.put(
                        ItemDefinition.FOLLOW_PREFIX + item.name(),
                        (response, out) -> run(response, out, block, true));
            }
        }
        for (RuleDefinition rule : definition.rules()) {
            rules.add(new LinkRule(rule, linkExtractor(rule), callbackName(rule)));
        }
    }

    /** The callback of the pages a rule finds. */
    private static String callbackName(RuleDefinition rule) {
        if (rule.callback() == null) {
            return rule.follow() ? "parse" : "parseLeaf";
        }
        return rule.follow() ? ItemDefinition.FOLLOW_PREFIX + rule.callback() : rule.callback();
    }

    private LinkExtractor linkExtractor(RuleDefinition rule) {
        LinkExtractor.Builder builder = LinkExtractor.builder();
        if (!rule.allow().isEmpty()) {
            builder.allow(rule.allow().toArray(String[]::new));
        }
        if (!rule.deny().isEmpty()) {
            builder.deny(rule.deny().toArray(String[]::new));
        }
        List<String> domains =
                rule.allowDomains().isEmpty() ? definition.allowedDomains() : rule.allowDomains();
        if (!domains.isEmpty()) {
            builder.allowDomains(domains.toArray(String[]::new));
        }
        if (!rule.denyDomains().isEmpty()) {
            builder.denyDomains(rule.denyDomains().toArray(String[]::new));
        }
        if (!rule.restrictXpaths().isEmpty()) {
            builder.restrictXpaths(rule.restrictXpaths().toArray(String[]::new));
        }
        if (!rule.restrictCss().isEmpty()) {
            builder.restrictCss(rule.restrictCss().toArray(String[]::new));
        }
        if (!rule.tags().isEmpty()) {
            builder.tags(rule.tags().toArray(String[]::new));
        }
        if (!rule.attrs().isEmpty()) {
            builder.attrs(rule.attrs().toArray(String[]::new));
        }
        if (rule.denyExtensions() != null) {
            builder.denyExtensions(rule.denyExtensions().toArray(String[]::new));
        }
        if (rule.processValue() != null) {
            builder.processValue(rule.processValue().compile());
        }
        return builder.unique(rule.unique()).canonicalize(rule.canonicalize()).build();
    }

    /**
     * The callback a crawl of this spider sends a page of this URL to, as far as the URL alone
     * tells, for trying one page ({@code arachne parse}): that of the first rule with a callback
     * whose {@code allow} patterns accept the URL, else that of the first rule with a callback
     * whose item block's {@code url_pattern} matches it, else {@code parse}. A crawl goes by the
     * rule that found the link, so a rule without {@code allow} (which takes any link) routes no
     * URL here.
     */
    public String callbackFor(String url) {
        for (LinkRule rule : rules) {
            if (rule.routes() && rule.accepts(url)) {
                return rule.callback();
            }
        }
        for (RuleDefinition rule : definition.rules()) {
            ItemExtractor block = rule.callback() == null ? null : namedBlocks.get(rule.callback());
            if (block != null && block.hasUrlPattern() && block.matchesUrl(url)) {
                return callbackName(rule);
            }
        }
        return "parse";
    }

    /** The definition this spider runs. */
    public SpiderDefinition definition() {
        return definition;
    }

    /**
     * A copy that starts from other URLs and stays inside their hosts (see {@link
     * SpiderDefinition#withStartUrls}).
     */
    public DeclarativeSpider withStartUrls(List<String> urls) {
        return new DeclarativeSpider(definition.withStartUrls(urls));
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public List<String> startUrls() {
        return definition.startUrls();
    }

    /**
     * A GET of each start URL, then the file's {@code start_requests} (with their method, headers,
     * body, callback and meta).
     */
    @Override
    public List<Request> startRequests() {
        List<Request> requests = new ArrayList<>(Spider.super.startRequests());
        requests.addAll(definition.startRequests());
        return requests;
    }

    /** The file's {@code login}, a {@link FormLogin}; null without one. */
    @Override
    public @Nullable Login login() {
        LoginDefinition login = definition.login();
        return login == null ? null : new FormLogin(login);
    }

    @Override
    public Sitemaps sitemaps() {
        return definition.sitemaps();
    }

    /**
     * A named item block's callback ({@code NAME}: its items; {@code parse:NAME}: its items, then
     * the rules), else the spider's method of that name.
     */
    @Override
    public @Nullable Callback callback(String name) {
        Callback block = blockCallbacks.get(name);
        return block != null ? block : Spider.super.callback(name);
    }

    @Override
    public Set<String> allowedDomains() {
        return Set.copyOf(new LinkedHashSet<>(definition.allowedDomains()));
    }

    /**
     * The settings of the file, lists written as {@code a,b} and maps as {@code k=v,k2=v2} (the
     * forms {@link org.arachne.engine.Settings} parses).
     */
    @Override
    public Map<String, ?> settings() {
        return definition.settings();
    }

    /**
     * The fields every item block declares, in declaration order, each once: the first block's,
     * then the new ones of the second, and so on.
     */
    @Override
    public List<String> itemFields() {
        Set<String> fields = new LinkedHashSet<>();
        for (ItemDefinition item : definition.items()) {
            for (FieldDefinition field : item.fields()) {
                fields.add(field.name());
            }
        }
        return List.copyOf(fields);
    }

    /**
     * Extracts the items of the page (of every item block no rule names), then follows the links of
     * every rule.
     */
    @Override
    public void parse(Response response, Output out) {
        run(response, out, unclaimed, true);
    }

    /**
     * The callback of pages reached through a rule with {@code follow: false} and no callback:
     * extracts their items (of every item block no rule names) and follows none of their links.
     */
    public void parseLeaf(Response response, Output out) {
        run(response, out, unclaimed, false);
    }

    /**
     * Extracts the items of these blocks, then follows the rules if asked, and counts what went
     * wrong; a page that is no JSON is counted once, however many JSON blocks and rules read it.
     */
    private void run(
            Response response, Output out, List<ItemExtractor> blocks, boolean followRules) {
        List<String> counts = new ArrayList<>();
        extractItems(response, out, blocks, counts);
        if (followRules) {
            followRules(response, out, counts);
        }
        boolean notJson = counts.removeIf(NOT_JSON::equals);
        if (notJson) {
            counts.add(NOT_JSON);
        }
        for (String key : counts) {
            out.count(key, 1);
        }
    }

    private void followRules(Response response, Output out, List<String> counts) {
        // as CrawlSpider: a link an earlier rule took is not taken again; within a rule, its
        // unique option decides
        Set<String> seen = new HashSet<>();
        for (LinkRule rule : rules) {
            List<String> taken = new ArrayList<>();
            for (LinkRule.Found link : rule.find(response, counts)) {
                if (!seen.contains(link.url())) {
                    taken.add(link.url());
                    follow(out, link, rule.callback());
                }
            }
            seen.addAll(taken);
        }
    }

    /**
     * Requests a link with its callback's name and what it carries. A link that no request can have
     * (one found in JSON: relative but broken, or {@code mailto:}) goes to {@code follow}, which
     * counts and logs it as every bad link.
     */
    private void follow(Output out, LinkRule.Found link, String callback) {
        Request request;
        try {
            request = Request.get(link.url(), callback);
        } catch (IllegalArgumentException e) {
            out.follow(link.url(), this::parse);
            return;
        }
        out.request(link.carried().isEmpty() ? request : request.withMeta(link.carried()));
    }

    private static void extractItems(
            Response response, Output out, List<ItemExtractor> extractors, List<String> counts) {
        for (ItemExtractor extractor : extractors) {
            ItemExtractor.Result result = extractor.extract(response);
            for (Item item : result.items()) {
                out.item(item);
            }
            counts.addAll(result.counts());
            if (result.dropped() > 0) {
                out.count(REQUIRED_MISSING, result.dropped());
            }
        }
    }

    @Override
    public String toString() {
        return "DeclarativeSpider[" + definition.name() + "]";
    }
}
