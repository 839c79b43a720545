package dev.logdist.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.logdist.App;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The floor plan of docs/ARCHITECTURE.md, kept true: packages by the stage a packet passes, each importing only the
 * stages below it, siblings not each other, and no cycles. A new package fails until it is given its place here.
 */
class FloorPlanTest {

    /**
     * Top to bottom; the packages of one row are siblings. The root package holds App and the wiring. The buffer's
     * interface sits below its two implementations, which the balancer never sees: it is handed the interface.
     */
    private static final List<List<String>> ROWS = List.of(
            List.of("dev.logdist"),
            List.of("dev.logdist.api"),
            List.of("dev.logdist.http"),
            List.of("dev.logdist.otlp", "dev.logdist.bulk", "dev.logdist.lines"),
            List.of("dev.logdist.ingest"),
            List.of("dev.logdist.validation"),
            List.of("dev.logdist.balancer"),
            List.of("dev.logdist.spool", "dev.logdist.kafka"),
            List.of("dev.logdist.buffer"),
            List.of("dev.logdist.delivery"),
            List.of("dev.logdist.config"),
            List.of("dev.logdist.model"));

    /** The distributor's own classes: where App was compiled to, not the analyzer's module beside it. */
    private static final JavaClasses DISTRIBUTOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(classesOf(App.class));

    private static Path classesOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_have_imported_every_stage() {
        for (List<String> row : ROWS) {
            for (String pkg : row) {
                assertThat(DISTRIBUTOR.stream().anyMatch(c -> c.getPackageName().equals(pkg))).as(pkg).isTrue();
            }
        }
    }

    @Test
    void should_keep_every_class_in_a_package_of_the_plan() {
        classes().should().resideInAnyPackage(ROWS.stream().flatMap(List::stream).toArray(String[]::new))
                .because("a new package needs its place in the floor plan (docs/ARCHITECTURE.md)")
                .check(DISTRIBUTOR);
    }

    @Test
    void should_import_only_the_stages_below() {
        List<String> above = new ArrayList<>();
        for (List<String> row : ROWS) {
            for (String pkg : row) {
                String[] forbidden = Stream.concat(above.stream(), row.stream().filter(p -> !p.equals(pkg)))
                        .toArray(String[]::new);
                if (forbidden.length > 0) {
                    noClasses().that().resideInAPackage(pkg).should().dependOnClassesThat().resideInAnyPackage(forbidden)
                            .because(pkg + " is below " + String.join(", ", forbidden) + " in docs/ARCHITECTURE.md")
                            .check(DISTRIBUTOR);
                }
            }
            above.addAll(row);
        }
    }

    @Test
    void should_have_no_cycles_between_packages() {
        slices().matching("dev.logdist.(*)..").should().beFreeOfCycles().check(DISTRIBUTOR);
    }
}
