package org.registryaudit.auth.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.registryaudit.auth.control.AccessRules.Account;
import org.registryaudit.auth.entity.Grant;
import org.registryaudit.platform.entity.Visibility;

class AccessRulesTest {

    static final Account ALICE = new Account(
            "alice",
            "auditor",
            List.of(
                    new Grant("library/*", Set.of("pull")),
                    new Grant("team/app", Set.of("pull", "push")),
                    new Grant("team/owned", Set.of("*")),
                    new Grant("ops/*", Set.of("pull", "push", "delete"))));
    static final Account ADMIN = new Account("root", "admin", List.of());
    static final Set<String> HOSTS = Set.of("reg.example.com:5000", "localhost:5000");
    static final AccessRules.Realm PUBLIC = new AccessRules.Realm(List.of("public/*"), HOSTS);

    @ParameterizedTest(name = "{0} asks {1}, gets {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            alice     | repository:library/alpine:pull                | pull
            alice     | repository:library/alpine:pull,push           | pull
            alice     | repository:library/nested/deep:pull           | pull
            alice     | repository:librar/alpine:pull                 | -
            alice     | repository:team/app:pull,push                 | pull,push
            alice     | repository:team/app:*                         | pull,push
            alice     | repository:team/app:delete                    | -
            alice     | repository:team/owned:*                       | *
            alice     | repository:team/owned:delete                  | delete
            alice     | repository:ops/tools:*                        | *
            alice     | repository:public/base:pull                   | pull
            alice     | repository:public/base:push                   | -
            alice     | repository:reg.example.com:5000/team/app:pull | pull
            alice     | repository:acme.corp/team/app:pull            | -
            alice     | repository:other.example.com/team/app:pull    | -
            alice     | registry:catalog:*                            | -
            anonymous | repository:public/base:pull,push              | pull
            anonymous | repository:library/alpine:pull                | -
            root      | repository:anything/at/all:pull,push,delete   | pull,push,delete
            root      | registry:catalog:*                            | *
            """)
    void grantsOnlyWhatTheRulesAllow(String who, String scope, String expected) {
        Account account = switch (who) {
            case "alice" -> ALICE;
            case "root" -> ADMIN;
            default -> Account.ANONYMOUS;
        };
        List<String> granted = AccessRules.grantedActions(account, PUBLIC, Scope.parse(scope));
        assertEquals(expected == null ? List.of() : List.of(expected.split(",")), granted);
    }

    @Test
    void theAccessClaimLeavesOutWhatIsNotGrantedAndDeniedNamesIt() {
        List<Scope> requested =
                List.of(Scope.parse("repository:library/alpine:pull,push"), Scope.parse("repository:secret/x:pull"));
        assertEquals(
                List.of(Map.of("type", "repository", "name", "library/alpine", "actions", List.of("pull"))),
                AccessRules.decide(ALICE, PUBLIC, requested).access());
        assertEquals(
                List.of("repository:library/alpine:pull,push", "repository:secret/x:pull"),
                AccessRules.decide(ALICE, PUBLIC, requested).denied());
        assertEquals(List.of(), AccessRules.decide(ALICE, PUBLIC, List.of()).denied());
    }

    @Test
    void seesPullableRepositoriesAndOwnLogins() {
        AccessRules.Realm oneHost = new AccessRules.Realm(List.of("public/*"), Set.of("reg.example.com:5000"));
        assertEquals(
                new Visibility(
                        List.of(
                                "public/*",
                                "library/*",
                                "team/app",
                                "team/owned",
                                "ops/*",
                                "reg.example.com:5000/public/*",
                                "reg.example.com:5000/library/*",
                                "reg.example.com:5000/team/app",
                                "reg.example.com:5000/team/owned",
                                "reg.example.com:5000/ops/*"),
                        "alice"),
                AccessRules.visibility(ALICE, oneHost));
        assertEquals(Visibility.EVERYTHING, AccessRules.visibility(ADMIN, PUBLIC));
        Account pushOnly = new Account("bob", null, List.of(new Grant("drop/*", Set.of("push"))));
        assertEquals(new Visibility(List.of(), "bob"), AccessRules.visibility(pushOnly, AccessRules.Realm.NONE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            library/*   | library/alpine               | true
            library/*   | libraryx/alpine              | false
            *           | anything/at/all              | true
            a*b         | a/x/b                        | true
            team/app    | team/app                     | true
            team/app    | team/app2                    | false
            team/app    | localhost:5000/team/app      | true
            team/app    | reg.example.com:5000/team/app | true
            team/app    | localhost/team/app           | false
            team/app    | acme.corp/team/app           | false
            team/app    | a:b/team/app                 | false
            team/app    | team/team/app                | false
            lib.ary     | libxary                      | false
            """)
    void matchesGlobPatterns(String pattern, String repository, boolean matches) {
        assertEquals(matches, AccessRules.matches(pattern, repository, HOSTS));
    }
}
