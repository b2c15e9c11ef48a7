package org.arachne.spider.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldTypeTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "£12.34                  | 12.34",
                "'  1,234.50 USD '       | 1234.50",
                "Price: -3 EUR           | -3",
                "12,34                   | 12",
                ".5 kg                   | 0.5",
                "In stock (22 available) | 22",
                "no price                | null",
            })
    void decimal_firstNumberInText(String text, String expected) {
        assertThat(FieldType.DECIMAL.convert(text))
                .isEqualTo(expected == null ? null : new BigDecimal(expected));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "In stock (22 available) | 22",
                "1,024 pages             | 1024",
                "3.0                     | 3",
                "4.5 stars               | null",
                "none                    | null",
            })
    void int_wholeNumberOnly(String text, Long expected) {
        assertThat(FieldType.INT.convert(text)).isEqualTo(expected);
    }
}
