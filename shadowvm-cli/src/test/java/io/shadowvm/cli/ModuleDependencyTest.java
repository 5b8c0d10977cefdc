package io.shadowvm.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps DESIGN.md section 2's dependency column true: a module may import only the modules listed for it.
 * The CLI's test classpath holds every module, so this one test sees all of them.
 */
class ModuleDependencyTest {
    /** module → the ShadowVM modules it may use (DESIGN.md section 2). */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("core", Set.of());
        ALLOWED.put("placement", Set.of("core"));
        ALLOWED.put("sync", Set.of("core"));
        ALLOWED.put("monitor", Set.of("core"));
        ALLOWED.put("predict", Set.of("core"));
        ALLOWED.put("redirect", Set.of("core"));
        ALLOWED.put("hypervisor", Set.of("core", "sync"));
        ALLOWED.put("api", Set.of("core"));
        ALLOWED.put("agent", Set.of("core", "api", "sync", "monitor", "redirect", "hypervisor"));
        ALLOWED.put("controller", Set.of("core", "api", "placement", "predict", "redirect"));
        ALLOWED.put("sim", Set.of("core", "placement", "predict", "redirect"));
    }

    static final List<String> ALL = List.of("core", "placement", "sync", "monitor", "predict", "redirect",
        "hypervisor", "api", "agent", "controller", "sim", "cli", "bench");

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.shadowvm");
    }

    @Test
    void everyModuleImportsOnlyTheModulesTheDesignAllows() {
        ALLOWED.forEach((module, allowed) -> {
            String[] forbidden = ALL.stream()
                .filter(m -> !m.equals(module) && !allowed.contains(m))
                .map(m -> "io.shadowvm." + m + "..")
                .toArray(String[]::new);
            noClasses().that().resideInAPackage("io.shadowvm." + module + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("DESIGN.md section 2 lets " + module + " depend only on " + allowed)
                .allowEmptyShould(true)
                .check(classes);
        });
    }

    @Test
    void theCoreModuleDependsOnNothingButJacksonAndTheJdk() {
        noClasses().that().resideInAPackage("io.shadowvm.core..")
            .should().dependOnClassesThat().resideOutsideOfPackages("io.shadowvm.core..", "java..", "javax..",
                "com.fasterxml.jackson..")
            .check(classes);
    }
}
