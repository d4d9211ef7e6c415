package dev.portbank;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure, checked on the compiled main classes: features depend on each other in one direction only,
 * and the load generator and the server share no code, so that each jar holds only its own.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portbank");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.portbank.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theServerDoesNotUseTheLoadGenerator() {
        noClasses().that().resideOutsideOfPackage("dev.portbank.loadgen..")
                .should().dependOnClassesThat().resideInAPackage("dev.portbank.loadgen..")
                .check(MAIN);
    }

    @Test
    void theLoadGeneratorIsAClientThatUsesNoServerClass() {
        noClasses().that().resideInAPackage("dev.portbank.loadgen..")
                .should().dependOnClassesThat(resideInAPackage("dev.portbank..")
                        .and(not(resideInAPackage("dev.portbank.loadgen.."))))
                .check(MAIN);
    }

    @Test
    void rateLimitingIsNotPartOfAuthentication() {
        noClasses().that().resideInAPackage("dev.portbank.auth..")
                .should().dependOnClassesThat().resideInAPackage("dev.portbank.ratelimit..")
                .check(MAIN);
    }
}
