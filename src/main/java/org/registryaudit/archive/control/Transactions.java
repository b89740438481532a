package org.registryaudit.archive.control;

import java.util.concurrent.Callable;

import jakarta.transaction.UserTransaction;

/** One unit of work in its own JTA transaction: committed if it returns, rolled back if it throws. */
final class Transactions {

    private Transactions() {}

    static <T> T inside(UserTransaction transaction, Callable<T> work) throws Exception {
        transaction.begin();
        try {
            T result = work.call();
            transaction.commit();
            return result;
        } catch (Exception e) {
            transaction.rollback();
            throw e;
        }
    }
}
