# Strict settings shared by every Natter target.
function(natter_strict_target target)
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_CAST_TO_ASCII
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
        QT_NO_URL_CAST_FROM_STRING
        QT_USE_QSTRINGBUILDER)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    if(NATTER_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
