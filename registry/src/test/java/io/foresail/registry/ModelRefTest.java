package io.foresail.registry;

import io.foresail.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRefTest {
    @Test
    void parsesAliasesAndVersionsWithOrWithoutTheModelsScheme() {
        assertThat(ModelRef.parse("equities@champion")).isEqualTo(ModelRef.alias("equities", "champion"));
        assertThat(ModelRef.parse("models:/equities@challenger").alias()).contains("challenger");
        assertThat(ModelRef.parse("equities/12")).isEqualTo(ModelRef.version("equities", "12"));
        assertThat(ModelRef.parse("models:/team/equities/3").name()).isEqualTo("team/equities");
        assertThat(ModelRef.parse("equities/12").toString()).isEqualTo("equities/12");
    }

    @Test
    void refusesWhatIsNeither() {
        for (String bad : new String[] {"equities", "equities@", "@champion", "equities/latest", "equities/"}) {
            assertThatThrownBy(() -> ModelRef.parse(bad)).as(bad).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'" + bad + "' is not a model reference").hasMessageContaining("NAME@alias");
        }
    }
}
