pragma Singleton
import QtQuick
import Natter.Ui

// Colours, spacing and sizes in one place. Dark follows the system palette
// unless the user picked light or dark in the settings.
QtObject {
    id: theme

    readonly property SystemPalette systemPalette: SystemPalette {}
    readonly property bool systemDark: systemPalette.window.hslLightness < 0.5
    readonly property bool dark: App.settings.theme === "dark" || (App.settings.theme === "system" && systemDark)

    readonly property color accent: "#3478f6"
    readonly property color accentText: "#ffffff"
    readonly property color window: dark ? "#17191c" : "#ffffff"
    readonly property color rail: dark ? "#0f1113" : "#e9edf2"
    readonly property color sidebar: dark ? "#1d2024" : "#f5f7fa"
    readonly property color surface: dark ? "#262a30" : "#eef1f5"
    readonly property color selected: dark ? "#2d3a52" : "#dce8fd"
    readonly property color hover: dark ? "#23272c" : "#eaeef3"
    readonly property color text: dark ? "#e8eaed" : "#1b1d21"
    readonly property color mutedText: dark ? "#9aa0a8" : "#6b7280"
    readonly property color divider: dark ? "#2c3036" : "#e1e5ea"
    readonly property color online: "#34c759"
    readonly property color danger: "#e5484d"
    readonly property color away: "#f5a623"
    readonly property color ownBubble: accent
    readonly property color ownBubbleText: "#ffffff"
    readonly property color otherBubble: dark ? "#2a2e35" : "#f0f2f5"

    readonly property int spacing: 8
    readonly property int smallSpacing: 4
    readonly property int radius: 12
    readonly property int railWidth: 64
    readonly property int headerHeight: 56
    readonly property string fontFamily: "Noto Sans"
    readonly property string emojiFamily: "Noto Color Emoji"

    // A stable colour for a name (avatars): a hash of the text picks the hue.
    function colorFor(text) {
        let hash = 0
        const value = text || "?"
        for (let i = 0; i < value.length; ++i)
            hash = (hash * 31 + value.charCodeAt(i)) % 360
        return Qt.hsla(hash / 360, 0.55, dark ? 0.45 : 0.55, 1)
    }

    function initials(text) {
        const words = (text || "?").trim().split(/[\s._-]+/).filter(w => w.length > 0)
        if (words.length === 0)
            return "?"
        if (words.length === 1)
            return words[0].substring(0, 2).toUpperCase()
        return (words[0][0] + words[1][0]).toUpperCase()
    }

    // The locale's short time without seconds (some locales' short format has them).
    readonly property string shortTimeFormat: Qt.locale().timeFormat(Locale.ShortFormat).replace(/[:.]ss/, "")

    function icon(name) {
        return "qrc:/natter/icons/" + name + ".svg"
    }
}
