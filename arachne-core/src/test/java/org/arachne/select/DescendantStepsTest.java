package org.arachne.select;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DescendantStepsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '!',
            value = {
                "//article[@class='product_pod']! /descendant::article[(attribute::class = \"product_pod\")]",
                ".//p! self::node()/descendant::p",
                "//text()! /descendant::text()",
                "//a[contains(@href, 'x')]/@href! /descendant::a[contains(attribute::href, \"x\")]/attribute::href",
                "//div[.//a]! /descendant::div[self::node()/descendant::a]",
                "//li[2]! /descendant-or-self::node()/child::li[2.0]",
                "//li[last()]! /descendant-or-self::node()/child::li[last()]",
                "//li[position() > 1]! /descendant-or-self::node()/child::li[(position() > 1.0)]",
                "//li[count(a)]! /descendant-or-self::node()/child::li[count(child::a)]",
                "//@id! /descendant-or-self::node()/attribute::id"
            })
    void rewrite_onlyNonPositionalChildSteps(String expr, String rewritten) {
        assertThat(XPaths.compile(expr).getRootExpr().getText()).isEqualTo(rewritten.strip());
    }
}
